/**
 * How the store reads a LevelDB range (level-store.ts, and verify-directory.ts which opens the log
 * without the store): chunks of up to CHUNK entries, each read gathering at most
 * ITERATOR_HIGH_WATER_BYTES, the next chunk read ahead while the caller works on this one.
 */

export const ITERATOR_CHUNK = 1024

/**
 * Bytes one iterator read (nextv) gathers at most beyond its first entry. classic-level 3 keeps the
 * copies of an iterator's last read in native memory until V8 collects the closed iterator (binding.cc
 * Iterator::cache_, freed by its GC finalizer, unknown to V8): at 8 MiB a store daemon serving the
 * national link (a log iterator per outbox read) held GBs of it between major GCs (issue 18).
 */
export const ITERATOR_HIGH_WATER_BYTES = 256 << 10

type Rows = ReadonlyArray<readonly [Buffer, Buffer]>

/** An abstract-level iterator, as far as reading ahead needs it. */
export interface ChunkedIterator {
  nextv: (size: number) => Promise<Rows>
  close: () => Promise<void>
}

/** The iterator's entries, chunk by chunk; closes it when done or abandoned. */
export async function * readAhead (iterator: ChunkedIterator): AsyncGenerator<Rows> {
  // Read ahead: LevelDB fetches the next chunk (in its thread pool) while the caller works on this one.
  let next = iterator.nextv(ITERATOR_CHUNK)
  try {
    while (true) {
      const chunk = await next
      if (chunk.length === 0) return
      next = iterator.nextv(ITERATOR_CHUNK)
      yield chunk
    }
  } finally {
    await next.catch(() => undefined)
    await iterator.close()
  }
}
