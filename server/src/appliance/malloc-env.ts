import { existsSync } from 'node:fs'

/**
 * jemalloc, Debian's package libjemalloc2. glibc returns freed memory only from the top of its heap
 * (free(3) trims there; what is freed below stays resident until malloc_trim(3), which nothing in
 * Node calls). The store daemon's brk heap keeps its high-water mark — LevelDB memtables (the views'
 * 64 MiB and the one being flushed), iterator and commit-group buffers — for the rest of its life:
 * 254–272 MB at 1 M residents (issue 18). jemalloc purges unused dirty pages after ~10 s
 * (opt.dirty_decay_ms), wherever they are. Preloaded only when installed: the daemons run on glibc
 * without it, with the settings below.
 */
export const JEMALLOC = '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2'

/**
 * glibc malloc settings for every daemon (spawnDaemon here, `Environment=` in firmware-config/systemd;
 * glibc reads them at process start, mallopt(3) "ENVIRONMENT"). LevelDB's and classic-level's native
 * buffers — log blocks of a whole commit group (~0.5 MiB), iterator batches of up to 8 MiB — are
 * allocated on libuv and LevelDB threads, each with an arena of its own, and freed elsewhere. With
 * glibc's defaults the mmap threshold grows to the largest block freed (up to 32 MiB), so such blocks
 * come from the arenas' heaps instead, and what is freed there is kept, not returned: the store daemon
 * of the small bench (200 k residents) reached 4.4 GB RSS after its load, of which malloc_trim(0)
 * returned 3.4 GB (issue 18). A fixed threshold keeps blocks of 128 KiB and more in mmap(2), which
 * munmap returns at free; two arenas bound what the threads' own arenas can hold. With jemalloc
 * preloaded (above) glibc's malloc is not used and these two are inert.
 */
export const DAEMON_MALLOC_ENV: Readonly<Record<string, string>> = Object.freeze({
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  ...(existsSync(JEMALLOC) ? { LD_PRELOAD: JEMALLOC } : {})
})
