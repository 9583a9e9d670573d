// The store's CPU by thread (bench/thread-cpu.ts, issue 18): a named worker's CPU is counted under its
// name, the main thread's under `main`, and a thread that ended between the samples under `exited`.
import t from 'tap'
import { sampleThreads, threadCpuBetween } from '../../../bench/thread-cpu.ts'
import { startTsWorker } from '../../../server/src/store/ts-worker.ts'
import { burnCpu } from './fixtures/burn-cpu.ts'

const burner = new URL('./fixtures/burn-cpu-worker.ts', import.meta.url)

async function runWorker (name: string, ms: number): Promise<void> {
  const worker = startTsWorker(burner, ms, { loader: 'require', threadName: name })
  await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject) })
  await worker.terminate()
}

t.test('CPU by thread name, with ended threads apart', { skip: process.platform === 'linux' ? false : 'reads /proc' }, async (t) => {
  const before = sampleThreads(process.pid)
  t.ok(before.processMicros > 0, 'the process is read')
  t.equal([...before.threads.values()].filter((x) => x.name === 'main').length, 1, 'one main thread')
  burnCpu(300)
  // A worker that runs and ends between the samples: its CPU is in the process's total only.
  await runWorker('ken-test-gone', 300)
  const mid = sampleThreads(process.pid)
  const worker = startTsWorker(burner, 400, { loader: 'require', threadName: 'ken-test-live' })
  t.teardown(async () => { await worker.terminate() })
  await new Promise((resolve) => worker.once('message', resolve))
  const after = sampleThreads(process.pid)
  const first = threadCpuBetween(before, mid)
  t.ok((first.main ?? 0) >= 280_000, `the main thread's 300 ms of work is under main (${first.main} µs)`)
  t.ok((first.exited ?? 0) >= 280_000, `the ended worker's 300 ms is under exited (${first.exited} µs)`)
  t.equal(first['ken-test-gone'], undefined, 'an ended thread has no name left')
  const second = threadCpuBetween(mid, after)
  t.ok((second['ken-test-live'] ?? 0) >= 380_000, `a live named worker's 400 ms is under its name (${second['ken-test-live']} µs)`)
  t.ok((second.main ?? 0) < 380_000, 'and not under main')
})

t.test('a process that cannot be read gives an empty sample', async (t) => {
  t.same(sampleThreads(undefined), { threads: new Map(), processMicros: 0 })
  t.same(sampleThreads(2 ** 30).processMicros, 0)
})
