/**
 * The after-load query figures of `npm run bench` (prefecture.ts measureQueries: lookups by 住民票コード
 * and 個人番号, then 4情報 searches in the store) repeated on one kept store, so a change to the read
 * path is judged by p99 over several runs instead of one full bench. The first call loads N residents
 * into DIR (kept, with its appliance key); every run then opens the store as the bench does, queries it
 * and closes it. Slow answers are listed with what this process saw around them: V8 GC pauses
 * (perf_hooks 'gc' entries) and the event loop's delay.
 *   node --import tsx bench/query-latency.ts --db DIR [--residents N] [--runs N] [--keys N] [--searches N] [--slow-ms X] [--search-passes N] [--warm false]
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { LevelStore, rangeReadsOnCallingThread } from '../server/src/store/level-store.ts'
import { loadApplianceKey } from '../server/src/store/appliance-key.ts'
import { benchPopulation } from './payloads.ts'
import { appendPopulation } from './append-population.ts'
import { Histogram } from './loadgen/histogram.ts'

const { values } = parseArgs({ options: { db: { type: 'string' }, residents: { type: 'string', default: '200000' }, runs: { type: 'string', default: '3' }, keys: { type: 'string', default: '20000' }, searches: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' }, 'slow-ms': { type: 'string', default: '1' }, 'search-passes': { type: 'string', default: '0' }, warm: { type: 'string', default: 'true' } } })
if (values.db === undefined) throw new Error('--db DIR is required')
const dbDir = path.join(values.db, 'store')
const keyFile = path.join(values.db, 'appliance.key')
const residents = Number(values.residents)
const seed = Number(values.seed)
const slowMs = Number(values['slow-ms'])
const population = benchPopulation(seed, residents)

if (!existsSync(dbDir)) {
  const store = new LevelStore({ location: dbDir, applianceKey: await loadApplianceKey(keyFile), prepareKeys: true })
  await store.open()
  const t0 = performance.now()
  const loaded = await appendPopulation(store, population)
  await store.close()
  console.log(`loaded ${loaded} residents in ${((performance.now() - t0) / 1000).toFixed(1)} s into ${dbDir}`)
}

interface Event { readonly at: number, readonly what: string }
const gcEvents: Event[] = []
const gcKinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' }
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0
    gcEvents.push({ at: e.startTime, what: `gc ${gcKinds[kind] ?? kind} ${e.duration.toFixed(2)} ms` })
  }
}).observe({ entryTypes: ['gc'] })

const ms = (x: number): string => x.toFixed(3)
console.log(`4情報 range read on the ${rangeReadsOnCallingThread() ? 'calling thread (classic-level built by patches/classic-level.sh)' : 'libuv pool (stock classic-level)'}`)
/**
 * This thread's time on a core, µs (Linux schedstat, ns): the main thread's share of a query, which
 * a loaded machine inflates far less than wall time; NaN where /proc has no schedstat.
 */
const mainThreadMicros = (): number => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1000
  } catch {
    return Number.NaN
  }
}
const q = (h: Histogram): string => `p50 ${ms(h.quantile(0.5))} p99 ${ms(h.quantile(0.99))} max ${ms(h.quantile(1))}`

for (let run = 1; run <= Number(values.runs); run++) {
  const opened0 = performance.now()
  // As the store daemon opens it (daemon.ts): its keys' and views' tables opened ahead of the first
  // lookup (level-store.ts WARMED); `--warm false` measures the reads that open them instead.
  const store = new LevelStore({ location: dbDir, applianceKey: await loadApplianceKey(keyFile), createIfMissing: false })
  await store.open()
  if (values.warm !== 'false') await store.warmTables()
  const openedMs = performance.now() - opened0
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  gcEvents.length = 0
  const slow: Event[] = []
  const byCode = new Histogram()
  const byNumber = new Histogram()
  const search = new Histogram()
  // Answers during which no thread of this process was preempted (no involuntary context switch):
  // what a machine with idle cores would show, where a shared one adds the scheduler's waits.
  const unpreempted = { byCode: new Histogram(), byNumber: new Histogram(), search: new Histogram(), preempted: 0 }
  const preemptions = (): number => process.resourceUsage().involuntaryContextSwitches
  const timed = async (h: Histogram, clean: Histogram, what: () => Promise<unknown>): Promise<number> => {
    const p0 = preemptions()
    const t = performance.now()
    await what()
    const d = performance.now() - t
    h.record(d)
    if (preemptions() === p0) clean.record(d)
    else unpreempted.preempted++
    return d
  }
  const t0 = performance.now()
  const r0 = process.resourceUsage()
  const m0 = mainThreadMicros()
  let x = seed >>> 0
  for (let i = 0; i < Number(values.keys); i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    const r = population.at(x % residents)
    let d = await timed(byCode, unpreempted.byCode, async () => await store.getCurrent(r.juminhyoCode))
    if (d > slowMs) slow.push({ at: performance.now() - d, what: `lookup #${i} ${ms(d)} ms` })
    d = await timed(byNumber, unpreempted.byNumber, async () => await store.findByKojinBango(r.kojinBango))
    if (d > slowMs) slow.push({ at: performance.now() - d, what: `kojin #${i} ${ms(d)} ms` })
  }
  const r1 = process.resourceUsage()
  const m1 = mainThreadMicros()
  // As bench/terminal-figures.ts measures 4情報 in the store.
  let y = (seed ^ 0x5bd1e995) >>> 0
  for (let i = 0; i < Number(values.searches); i++) {
    y = (Math.imul(y, 1664525) + 1013904223) >>> 0
    const p = population.at(y % residents)
    const d = await timed(search, unpreempted.search, async () => {
      for (const number of await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 1001)) await store.getCurrentByNumber(number)
    })
    if (d > slowMs * 5) slow.push({ at: performance.now() - d, what: `search #${i} ${ms(d)} ms` })
  }
  const r2 = process.resourceUsage()
  const m2 = mainThreadMicros()
  // --search-passes N: N more passes on the same open store, the first repeating the searches above
  // and the others new ones, so a tail that only first touches pay (V8 compiling the path, blocks read
  // for the first time) shows apart from the steady cost. CPU is the whole process's (all threads).
  for (let pass = 1; pass <= Number(values['search-passes']); pass++) {
    const wall = new Histogram()
    const cpu = new Histogram()
    let z = ((pass === 1 ? seed : seed + 7919 * pass) ^ 0x5bd1e995) >>> 0
    for (let i = 0; i < Number(values.searches); i++) {
      z = (Math.imul(z, 1664525) + 1013904223) >>> 0
      const p = population.at(z % residents)
      const u0 = process.resourceUsage()
      const t = performance.now()
      for (const number of await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 1001)) await store.getCurrentByNumber(number)
      wall.record(performance.now() - t)
      const u1 = process.resourceUsage()
      cpu.record((u1.userCPUTime + u1.systemCPUTime - u0.userCPUTime - u0.systemCPUTime) / 1000)
    }
    console.log(`  search pass ${pass} (${pass === 1 ? 'the same searches again' : 'new searches'}): ${q(wall)}; CPU ms per search ${q(cpu)}`)
  }
  loop.disable()
  await store.close()
  // CPU (user + system, all threads) and the times this process's threads gave up a core to wait
  // (voluntary context switches, e.g. the event loop waiting for a pool thread's answer), per query:
  // contention on a shared machine inflates latency but barely these.
  const per = (a: NodeJS.ResourceUsage, b: NodeJS.ResourceUsage, n: number): string => `${((b.userCPUTime + b.systemCPUTime - a.userCPUTime - a.systemCPUTime) / n).toFixed(1)} µs CPU, ${((b.voluntaryContextSwitches - a.voluntaryContextSwitches) / n).toFixed(2)} waits`
  console.log(`  not preempted (${unpreempted.preempted} answers were): lookup ${q(unpreempted.byCode)}; kojin ${q(unpreempted.byNumber)}; search ${q(unpreempted.search)}`)
  const main = (a: number, b: number, n: number): string => `${((b - a) / n).toFixed(1)} µs on the main thread`
  console.log(`  per lookup pair (住民票コード + 個人番号): ${per(r0, r1, Number(values.keys))}, ${main(m0, m1, Number(values.keys))}; per search: ${per(r1, r2, Number(values.searches))}, ${main(m1, m2, Number(values.searches))}`)
  console.log(`run ${run}: open ${openedMs.toFixed(0)} ms (tables opened: ${values.warm !== 'false'}); lookup ${q(byCode)}; kojin ${q(byNumber)}; search ${q(search)}; event loop delay p99 ${ms(loop.percentile(99) / 1e6)} max ${ms(loop.max / 1e6)} ms; ${slow.length} slow, ${gcEvents.length} GCs (${gcEvents.filter((e) => e.what.includes('major')).length} major)`)
  const events = [...slow, ...gcEvents.filter((e) => e.at >= t0)].sort((a, b) => a.at - b.at)
  if (process.env.KEN_QUERY_TRACE === '1') for (const e of events) console.log(`  ${((e.at - t0) / 1000).toFixed(3)} s ${e.what}`)
}
