/**
 * A worker thread running one of this package's TypeScript modules. Workers do not inherit the
 * TypeScript loader of the main thread, so a small bootstrap registers tsx in the worker before
 * loading the module, in one of two ways:
 *   'import'   tsx's ESM loader (module.register): Node 20 runs loader hooks in a thread of their own
 *              with its own V8 isolate, one per worker — a worker so started costs two threads and
 *              ~28 MB of anonymous memory, idle (measured: 4 workers, RssAnon before and after);
 *   'require'  tsx's CommonJS hook, which compiles in the worker's own thread: one thread and ~15 MB.
 *              For a long-lived worker whose module has no top-level await (issue 18: store RSS).
 */
import { createRequire } from 'node:module'
import { Worker, type ResourceLimits } from 'node:worker_threads'

export interface TsWorkerOptions {
  /** How tsx is registered in the worker (default 'import', which any module allows). */
  readonly loader?: 'import' | 'require'
  /** V8 heap limits of the worker: one past them ends the worker with ERR_WORKER_OUT_OF_MEMORY. */
  readonly resourceLimits?: ResourceLimits
  /**
   * The worker's OS thread name (Linux comm, at most 15 bytes: THREAD_NAME_BYTES). Node 20 names no
   * worker thread, so every thread of a process reads "node" in /proc/PID/task/TID/comm, perf and
   * top -H; a named one shows its own CPU (bench/thread-cpu.ts, issue 18).
   */
  readonly threadName?: string
}

/** Bytes of a Linux thread name, without its terminating NUL (TASK_COMM_LEN − 1, sched.h). */
export const THREAD_NAME_BYTES = 15

/**
 * V8 heap limits of the store's long-lived helper workers (key factory, index ahead), from
 * measurement (issue 18): each keeps nothing between requests — 8–25 MB used, most of it young
 * objects of the last request — while V8's default young generation (3 × 16 MiB semi-spaces) let the
 * index worker's heap reach 44 MB. A worker past the old-generation bound ends, and its work is done
 * on the store's thread again (key-factory.ts, index-ahead.ts).
 */
export const HELPER_WORKER_LIMITS: ResourceLimits = Object.freeze({ maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 })

/** Start `moduleUrl` (a .ts file URL) in a new worker thread with `workerData`. */
export function startTsWorker (moduleUrl: URL, workerData: unknown, options: TsWorkerOptions = {}): Worker {
  const name = options.threadName
  if (name !== undefined && !new RegExp(`^[a-z0-9-]{1,${THREAD_NAME_BYTES}}$`).test(name)) throw new RangeError(`thread name ${JSON.stringify(name)}: 1 to ${THREAD_NAME_BYTES} of a-z 0-9 -`)
  // Written by the worker's own thread, first thing: /proc/thread-self is the task of the thread that
  // opens it (proc(5)). Elsewhere than Linux the write fails and the thread keeps its name.
  const naming = name === undefined ? '' : `try { require('node:fs').writeFileSync('/proc/thread-self/comm', ${JSON.stringify(name)}) } catch {}; `
  let boot: string
  if (options.loader === 'require') {
    const api = createRequire(import.meta.url).resolve('tsx/cjs/api')
    boot = `${naming}require(${JSON.stringify(api)}).register(); require(${JSON.stringify(decodeURIComponent(moduleUrl.pathname))})`
  } else {
    // import.meta.resolve is missing where tsx's CommonJS hook compiled this module (a bin such as
    // server/bin/ken-national.js), and tsx/esm/api's CommonJS entry cannot register the hooks from a
    // worker: the daemons' workers all take 'require'; 'import' is for a caller loaded as an ES module.
    if (typeof import.meta.resolve !== 'function') throw new RangeError("the 'import' loader needs ts-worker.ts loaded as an ES module (--import tsx); use 'require'")
    const api = import.meta.resolve('tsx/esm/api')
    boot = `${naming}import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}) })`
  }
  return new Worker(boot, { eval: true, workerData, ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }) })
}
