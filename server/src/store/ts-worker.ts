/**
 * A worker thread running one of this package's TypeScript modules. Workers do not inherit the
 * TypeScript loader of the main thread, so a small bootstrap registers tsx in the worker before
 * importing the module.
 */
import { Worker } from 'node:worker_threads'

/** Start `moduleUrl` (a .ts file URL) in a new worker thread with `workerData`. */
export function startTsWorker (moduleUrl: URL, workerData: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}) })`
  return new Worker(boot, { eval: true, workerData })
}
