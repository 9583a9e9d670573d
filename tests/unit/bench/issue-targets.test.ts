// The issue-18 section of `npm run bench` (bench/issue-targets.ts): every figure with its target and
// measured ÷ target, computed from a kept full run (session 3, 5.1 M) so the numbers are known.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { issueTargets, renderTargets } from '../../../bench/issue-targets.ts'
import type { BenchResult } from '../../../bench/report.ts'

const kept = JSON.parse(readFileSync(new URL('../../../bench/results/2026-11-22-session3-full-5.1M.json', import.meta.url), 'utf8')) as BenchResult
// That run predates the store's main-thread figure and the 4情報 search: give them known values.
const cpu = { ...kept.prefecture.load.cpuPerUpdateUs, storeMainThread: 161 }
const search = { searches: 100, meanHits: 1, store: { p50Ms: 0.5, p99Ms: 2.5 }, service: { p50Ms: 1, p99Ms: 2 }, https: { p50Ms: 3, p99Ms: 4 } }
const run = { ...kept, prefecture: { ...kept.prefecture, load: { ...kept.prefecture.load, cpuPerUpdateUs: cpu }, queries: { ...kept.prefecture.queries, search } } } as BenchResult

t.test('each figure of issue 18 against its target', async (t) => {
  const targets = issueTargets(run)
  const by = new Map(targets.map((x) => [x.figure, x]))
  t.equal(targets.length, 8)
  t.match(by.get('appliance CPU per update (gateway + store, all threads)'), { measured: 492, target: 150, ratio: 3.28, met: false })
  t.match(by.get('store main-thread CPU per update'), { measured: 161, target: 50, ratio: 3.22, met: false })
  t.match(by.get('initial load of 5.1 M residents (projected from the rate)'), { measured: 1912, target: 300, met: false })
  t.match(by.get('ingest ratio ken-server / Mosquitto'), { measured: 0.148, target: 0.3, ratio: 0.493, met: false })
  t.match(by.get('lookup by 住民票コード p99'), { measured: 1.072, target: 1, met: false })
  t.match(by.get('4情報 search p99'), { measured: 2.5, ratio: 0.5, met: true })
  t.match(by.get('verify with the tree, projected to 5.1 M'), { measured: 7.12, met: true })
  t.match(by.get('store peak RSS'), { measured: 838, target: 1024, met: true })
  const table = renderTargets(targets).split('\n')
  t.equal(table.length, 10, 'a header, a rule and one line per figure')
  t.match(table[2], /appliance CPU per update .* 492 µs +≤ 150 µs +3\.280 +NOT met$/)
})

t.test('store peak RSS is the larger of the load\'s peak and the peak up to the reconciliation', async (t) => {
  const after = { ...run, prefecture: { ...run.prefecture, peakRssThroughReconcileMb: { store: 1500, gateway: 300 } } } as BenchResult
  t.match(new Map(issueTargets(after).map((x) => [x.figure, x])).get('store peak RSS'), { measured: 1500, met: false })
  const lower = { ...run, prefecture: { ...run.prefecture, peakRssThroughReconcileMb: { store: 600 } } } as BenchResult
  t.match(new Map(issueTargets(lower).map((x) => [x.figure, x])).get('store peak RSS'), { measured: 838, met: true })
})

t.test('a figure exactly at an upper bound is met; a strict one is not', async (t) => {
  const at = { ...run, prefecture: { ...run.prefecture, load: { ...run.prefecture.load, cpuPerUpdateUs: { ...cpu, storeMainThread: 50 } }, queries: { ...run.prefecture.queries, byJuminhyoCode: { p50Ms: 0.1, p99Ms: 1 } } } } as BenchResult
  const by = new Map(issueTargets(at).map((x) => [x.figure, x]))
  t.equal(by.get('store main-thread CPU per update')?.met, true)
  t.equal(by.get('lookup by 住民票コード p99')?.met, false)
})

t.test('with ken-national\'s CPU per forward measured, the appliance figure is given with it too', async (t) => {
  const national = { ...(run.prefecture.national ?? { forwarded: 1, forwardedPerSec: 1, maxLagPositions: 0, maxOldestAgeSeconds: 0, catchUpSeconds: 0 }), cpuPerForwardUs: { national: 40.5, simulator: 90 } }
  const targets = issueTargets({ ...run, prefecture: { ...run.prefecture, national } } as BenchResult)
  t.equal(targets.length, 9)
  const row = targets[1]
  t.match(row, { figure: '  … with the national link (ken-national per forward)', measured: 532.5, target: 150, met: false }, 'gateway + store + ken-national, not the simulator')
})
