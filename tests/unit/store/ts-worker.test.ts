// Worker threads running TypeScript modules (ts-worker.ts, issue 18: store RSS): the 'require' loader
// runs the module with one thread per worker — no loader-hooks thread with an isolate of its own, as
// the 'import' loader has under Node 20 — and the heap limits given reach the worker.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import type { Worker } from 'node:worker_threads'
import { HELPER_WORKER_LIMITS, startTsWorker, type TsWorkerOptions } from '../../../server/src/store/ts-worker.ts'
import { DATA_KEY_RECORD_BYTES } from '../../../server/src/store/data-key.ts'

const threads = (): number => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1])
const keyFactoryWorker = new URL('../../../server/src/store/key-factory-worker.ts', import.meta.url)

/** Start the key factory's worker, ask it for `count` keys, and count the threads it added. */
async function started (options: TsWorkerOptions, count: number): Promise<{ worker: Worker, batch: Uint8Array, added: number }> {
  await readFile(new URL(import.meta.url)) // libuv's pool started before the count
  const before = threads()
  const worker = startTsWorker(keyFactoryWorker, randomBytes(32), options)
  const batch = await new Promise<Uint8Array>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
    worker.postMessage(count)
  })
  return { worker, batch, added: threads() - before }
}

t.test("the 'require' loader runs the module in one thread, within the limits given", async (t) => {
  const { worker, batch, added } = await started({ loader: 'require', resourceLimits: HELPER_WORKER_LIMITS }, 3)
  t.teardown(async () => { await worker.terminate() })
  t.equal(batch.byteLength, 3 * DATA_KEY_RECORD_BYTES, 'the module answers')
  t.equal(added, 1, 'the worker thread alone')
  t.equal(worker.resourceLimits?.maxYoungGenerationSizeMb, HELPER_WORKER_LIMITS.maxYoungGenerationSizeMb)
  t.equal(worker.resourceLimits?.maxOldGenerationSizeMb, HELPER_WORKER_LIMITS.maxOldGenerationSizeMb)
})

t.test("the 'import' loader (any module, top-level await too) adds a loader thread", async (t) => {
  const { worker, batch, added } = await started({}, 2)
  t.teardown(async () => { await worker.terminate() })
  t.equal(batch.byteLength, 2 * DATA_KEY_RECORD_BYTES, 'the module answers')
  t.equal(added, 2, 'the worker and its loader-hooks thread')
})

/** The names of this process's threads (Linux comm), one per thread. */
function threadNames (): string[] {
  return readdirSync('/proc/self/task').map((tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim())
}

t.test('a worker given a thread name carries it, with either loader', { skip: process.platform === 'linux' ? false : 'reads /proc/self/task' }, async (t) => {
  for (const loader of ['require', 'import'] as const) {
    const name = `ken-test-${loader.slice(0, 3)}`
    t.notOk(threadNames().includes(name), `no thread is named ${name} before`)
    const { worker } = await started({ loader, threadName: name }, 1)
    // Under 'import' the loader-hooks thread, started by the worker after it named itself, inherits the name (pthread_create).
    t.equal(threadNames().filter((n) => n === name).length, loader === 'import' ? 2 : 1, `the worker's threads are named ${name} (${loader})`)
    await worker.terminate()
  }
})

t.test('a thread name that Linux would cut or that is not plain is refused', async (t) => {
  for (const threadName of ['', 'a-name-of-16-chr', 'Ken', 'ken index', 'ken/idx']) {
    t.throws(() => startTsWorker(keyFactoryWorker, randomBytes(32), { loader: 'require', threadName }), RangeError, JSON.stringify(threadName))
  }
})
