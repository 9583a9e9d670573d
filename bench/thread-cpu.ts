/**
 * CPU of a process split by thread, from Linux /proc/PID/task/TID/{stat,comm} (proc(5)): which threads
 * of the store daemon a committed update costs (issue 18). Threads are grouped by their name:
 *   main        the thread that runs JavaScript (its id is the process id)
 *   leveldb-bg  LevelDB's one background thread: memtable flushes and compactions
 *               (patches/classic-level-3.0.0-thread-name.patch)
 *   ken-index, ken-keys, ken-verify  the store's workers (server/src/store/ts-worker.ts threadName)
 *   uv-pool     libuv's pool (LevelDB's writes and fsyncs, asynchronous reads, fs), named by the store
 *               (server/src/store/pool-thread-names.ts)
 *   node        every thread Node leaves unnamed: V8's platform workers (GC, compiler) — and libuv's pool
 *               in a process that did not name it
 *   exited      CPU of threads that ended between the two samples (the process's total less its threads')
 */
import { readdirSync, readFileSync } from 'node:fs'
import { statMicros } from './targets.ts'

/** One sample: each live thread's name and CPU so far (µs), and the whole process's. */
export interface ThreadSample {
  readonly threads: ReadonlyMap<number, { readonly name: string, readonly micros: number }>
  readonly processMicros: number
}

/** Sample `pid`'s threads; an empty sample when the process cannot be read (gone, not Linux). */
export function sampleThreads (pid: number | undefined): ThreadSample {
  const threads = new Map<number, { name: string, micros: number }>()
  if (pid === undefined) return { threads, processMicros: 0 }
  try {
    const processMicros = statMicros(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
      try {
        const micros = statMicros(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))
        const name = tid === pid ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
        threads.set(tid, { name, micros })
      } catch {
        // The thread ended while the list was read: its CPU is counted under `exited` at the next sample.
      }
    }
    return { threads, processMicros }
  } catch {
    return { threads, processMicros: 0 }
  }
}

/** CPU (µs) each group of threads used between two samples of one process, and `exited`. */
export function threadCpuBetween (before: ThreadSample, after: ThreadSample): Record<string, number> {
  const out: Record<string, number> = {}
  let live = 0
  for (const [tid, t] of after.threads) {
    // A thread named after the first sample (a worker names itself when it starts) counts under its new name.
    const used = t.micros - (before.threads.get(tid)?.micros ?? 0)
    out[t.name] = (out[t.name] ?? 0) + used
    live += used
  }
  out.exited = Math.max(0, after.processMicros - before.processMicros - live)
  return out
}
