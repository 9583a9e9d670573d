/**
 * Names libuv's thread pool threads (`uv-pool`), so that per-thread CPU (bench/thread-cpu.ts, top -H,
 * perf) tells LevelDB's writes, fsyncs and asynchronous reads — which classic-level runs on that pool —
 * from V8's platform workers (GC, compiler). Node names neither: every one of them reads "node".
 *
 * How: an fs open runs on a pool thread, and /proc/thread-self is the task of the thread that opens it
 * (proc(5)), so opening /proc/thread-self/comm from JavaScript opens the comm file of whichever pool
 * thread ran the open; the write that follows (on any pool thread) renames that one. Opens are issued
 * as many at a time as the pool has threads until every pool thread bears the name, at most
 * MAX_ROUNDS rounds. libuv starts all its pool threads at the first request (threadpool.c init_threads).
 * Elsewhere than Linux nothing is named, and nothing fails.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'

export const POOL_THREAD_NAME = 'uv-pool'
const MAX_ROUNDS = 16
/** libuv's default pool size (UV_THREADPOOL_SIZE unset). */
const DEFAULT_POOL = 4

/** The pool's size as libuv reads it (threadpool.c: UV_THREADPOOL_SIZE, 1…1024, default 4). */
export function poolSize (env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.UV_THREADPOOL_SIZE)
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : DEFAULT_POOL
}

/** Threads of this process that bear `name` now (0 where /proc cannot be read). */
export function threadsNamed (name: string): number {
  try {
    return readdirSync('/proc/self/task').filter((tid) => {
      try {
        return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === name
      } catch {
        return false
      }
    }).length
  } catch {
    return 0
  }
}

/** Name the pool's threads; resolves to how many bear the name (the pool's size, on Linux). */
export async function namePoolThreads (name = POOL_THREAD_NAME): Promise<number> {
  const size = poolSize()
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const named = threadsNamed(name)
    if (named >= size) return named
    const results = await Promise.allSettled(Array.from({ length: size }, async () => { await writeFile('/proc/thread-self/comm', name) }))
    if (results.every((r) => r.status === 'rejected')) return threadsNamed(name)
  }
  return threadsNamed(name)
}
