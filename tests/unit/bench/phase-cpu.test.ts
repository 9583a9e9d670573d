// The initial load's CPU phase by phase (bench/phase-cpu.ts): each phase is measured between the samples
// that enclose it, per update counted in that span, with the machine's busy cores.
import t from 'tap'
import { machineBusyMicros, phaseCpu, type CpuSample } from '../../../bench/phase-cpu.ts'
import type { LoadPhase } from '../../../bench/load-phases.ts'

/** A sample at `at` s: the store's main thread and compaction thread, the gateway, the machine, in µs. */
function sample (at: number, main: number, compaction: number, gateway: number, machine: number): CpuSample {
  return {
    atSeconds: at,
    store: { threads: new Map([[100, { name: 'main', micros: main }], [101, { name: 'leveldb-bg', micros: compaction }]]), processMicros: main + compaction },
    gatewayMicros: gateway,
    machineMicros: machine
  }
}

const phase = (busyLinks: string, fromSeconds: number, toSeconds: number): LoadPhase => ({ busyLinks, endedBy: [], fromSeconds, toSeconds, updates: 0, ratePerSec: 0 })

t.test('per phase: per update between the enclosing samples, and the cores busy', async (t) => {
  // 1,000 updates a second for 20 s; samples every 5 s.
  const acked = Array.from({ length: 20 }, () => 1000)
  const samples = [
    sample(0, 0, 0, 0, 0),
    sample(5, 500_000, 100_000, 50_000, 10_000_000), // 2 cores busy
    sample(10, 1_000_000, 200_000, 100_000, 20_000_000),
    sample(15, 1_200_000, 600_000, 110_000, 25_000_000), // 1 core busy, compaction heavier
    sample(20, 1_400_000, 1_000_000, 120_000, 30_000_000)
  ]
  const [first, tail] = phaseCpu(samples, [phase('3+', 0, 10), phase('1', 12, 20)], acked)
  t.same(first, { busyLinks: '3+', storeThreads: { main: 100, 'leveldb-bg': 20, exited: 0 }, store: 120, gateway: 10, coresBusy: 2 })
  // From the sample at 10 s (the last at or before 12) to the one at 20 s: 10,000 updates.
  t.same(tail, { busyLinks: '1', storeThreads: { main: 40, 'leveldb-bg': 80, exited: 0 }, store: 120, gateway: 2, coresBusy: 1 })
})

t.test('fewer than two samples: nothing to say', async (t) => {
  t.same(phaseCpu([sample(0, 0, 0, 0, 0)], [phase('3+', 0, 10)], [1000]), [])
})

t.test('the machine\'s busy CPU grows while this thread works', { skip: process.platform === 'linux' ? false : 'reads /proc/stat' }, async (t) => {
  const before = machineBusyMicros()
  const end = performance.now() + 200
  let x = 0
  while (performance.now() < end) x += Math.sqrt(x + 1)
  t.ok(x > 0 && machineBusyMicros() > before)
})
