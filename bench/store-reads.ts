/**
 * The reads of a loaded store, in this process, and the memory they leave mapped (issue 18: store RSS
 * < 1 GB; lookups p99 < 1 ms, 4情報 p99 < 5 ms). On a store kept by `bench/store-append.ts --keep DIR`:
 *   node --import tsx bench/store-reads.ts DIR [--loaded N] [--lookups N] [--searches N] [--skip-log]
 * 1. lookups by 住民票コード on a cold table cache (just opened); 2. 4情報 searches; 3. the whole log
 * read in order as the outbox reader does (entries, one key read per 256 entries, every update opened);
 * 4. the lookups again, then once more on the same keys (warm). After each step: RSS, anonymous and
 * mapped LevelDB tables per database (bench/mapped-tables.ts), and the largest seen during step 3.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { LevelStore } from '../server/src/store/level-store.ts'
import { signerFromSeed } from '../server/src/log/checkpoint/index.ts'
import type { LogRecord } from '../server/src/store/store.ts'
import { benchPopulation } from './payloads.ts'
import { formatMapped, mappedTables, type MappedTables } from './mapped-tables.ts'

const { values, positionals } = parseArgs({ allowPositionals: true, options: { loaded: { type: 'string' }, lookups: { type: 'string', default: '5000' }, searches: { type: 'string', default: '500' }, 'skip-log': { type: 'boolean', default: false } } })
const dir = positionals[0]
if (dir === undefined) throw new Error('usage: store-reads.ts DIR (a store kept by bench/store-append.ts --keep DIR)')
const keys = JSON.parse(readFileSync(`${dir}.keys.json`, 'utf8')) as { applianceKey: string, signerSeed: string, seed: number, residents: number }
const population = benchPopulation(keys.seed, keys.residents)
const store = new LevelStore({ location: dir, applianceKey: Buffer.from(keys.applianceKey, 'hex'), logSigner: signerFromSeed('ken-server.bench/log', Buffer.from(keys.signerSeed, 'hex')), createIfMissing: false })
await store.open()

// The residents in the store: bench:store appends each CS's block in turn (round r: block.start + r); a
// store it was stopped in (--loaded N) holds the first N of that order.
const loaded: number[] = []
{
  const want = Math.min(keys.residents, Number(values.loaded ?? keys.residents))
  for (let round = 0; loaded.length < want; round++) {
    let added = false
    for (const b of population.blocks) {
      if (b.start + round >= b.end || loaded.length >= want) continue
      loaded.push(b.start + round)
      added = true
    }
    if (!added) break
  }
}
let seed = 12345
function random (n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const sample = (label: string): MappedTables => {
  const m = mappedTables('self', dir)
  const heap = process.memoryUsage()
  console.log(`${label}: ${formatMapped(m)}; V8 heap ${(heap.heapTotal / 1e6).toFixed(0)} MB, external ${(heap.external / 1e6).toFixed(0)} MB`)
  return m
}
const percentiles = (ms: number[]): string => {
  const s = ms.slice().sort((a, b) => a - b)
  const at = (q: number): string => (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN).toFixed(3)
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${s.length})`
}

async function lookups (label: string, indexes: readonly number[]): Promise<void> {
  const ms: number[] = []
  let found = 0
  for (const i of indexes) {
    const t = performance.now()
    if (await store.getCurrent(population.at(i).juminhyoCode) !== undefined) found++
    ms.push(performance.now() - t)
  }
  console.log(`${label}: lookups by 住民票コード ${percentiles(ms)}, ${found} found`)
  sample(`  after ${label}`)
}

async function searches (label: string, n: number): Promise<void> {
  const ms: number[] = []
  for (let k = 0; k < n; k++) {
    const p = population.at(loaded[random(loaded.length)] as number)
    const t = performance.now()
    for (const number of await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 1001)) await store.getCurrentByNumber(number)
    ms.push(performance.now() - t)
  }
  console.log(`${label}: 4情報 searches ${percentiles(ms)}`)
  sample(`  after ${label}`)
}

sample('opened')
const first = Array.from({ length: Number(values.lookups) }, () => loaded[random(loaded.length)] as number)
await lookups('cold', first)
await searches('cold', Number(values.searches))
if (!values['skip-log']) {
  const peak = new Map<string, number>()
  let peakVm = 0
  const t = performance.now()
  const cpu = process.cpuUsage()
  let n = 0
  let batch: LogRecord[] = []
  const drain = async (): Promise<void> => {
    await store.loadDataKeys(batch)
    for (const record of batch) await store.openUpdate(record).catch(() => undefined)
    batch = []
  }
  for await (const record of store.entries(1)) {
    batch.push(record)
    if (batch.length === 256) await drain()
    if (++n % 100_000 === 0) {
      const m = sample(`  log read ${n}`)
      for (const [name, d] of m.databases) peak.set(name, Math.max(peak.get(name) ?? 0, d.rss))
      peakVm = Math.max(peakVm, m.vmRss)
    }
  }
  await drain()
  const used = process.cpuUsage(cpu)
  console.log(`whole log read: ${n} entries in ${((performance.now() - t) / 1000).toFixed(1)} s, CPU ${((used.user + used.system) / n).toFixed(1)} µs/entry; peak VmRSS ${(peakVm / 1e6).toFixed(0)} MB, peak mapped per database: ${[...peak].map(([k, v]) => `${k} ${(v / 1e6).toFixed(0)} MB`).join(', ')}`)
  sample('  after the log read')
}
await lookups('after the log read (new keys)', Array.from({ length: Number(values.lookups) }, () => loaded[random(loaded.length)] as number))
await lookups('warm (the first keys again)', first)
await searches('warm', Number(values.searches))
await store.close()
