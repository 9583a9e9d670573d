/**
 * Reconciliation of one municipality over its CS's link (SPEC §8: 福岡市, 1.6 M residents, < 2 min):
 * the CS's snapshot in chunks over MQTT/TLS through the gateway to the store daemon, one chunk in
 * flight, timed from the first chunk to the final result, and checked: exactly the seeded differences.
 *
 * `npm run bench` runs it on 福岡市 after the initial load (prefecture.ts). Alone, on a fresh
 * appliance whose residents are loaded straight into the store (not timed):
 *   node --import tsx bench/reconcile.ts [--residents N] [--per-chunk N] [--seed N]
 * prints one JSON line: residents, chunks, seconds (and its parts), projected seconds for 1.6 M.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../firmware-config/src/index.ts'
import { contentDigest, itemDigests, type DigestInput } from '../proto/src/reconcile-digest.ts'
import { encode } from '../proto/src/codec.ts'
import type { ReconcileRecord } from '../proto/src/types.ts'
import { generatePopulation } from '../tests/sim/generator/index.ts'
import { identityOf } from '../tests/sim/generator/bodies.ts'
import type { Population } from '../tests/sim/generator/population.ts'
import { ReconcilingCs } from '../tests/sim/cs-sim/reconciling-cs.ts'
import { processCpuMicros } from './targets.ts'

export const FUKUOKA_CITY = '401307'
/** SPEC §8: 福岡市. */
export const TARGET_RESIDENTS = 1_600_000
export const TARGET_SECONDS = 120
/** Records per chunk: one MQTT message under the gateway's maxPacketBytes (64 KiB). */
const PER_CHUNK = 450

export interface ReconcileFigures {
  readonly residents: number
  readonly chunks: number
  readonly seconds: number
  /** The final chunk's round trip: the walk for what the CS did not send, and the run's log entry. */
  readonly closeSeconds: number
  readonly differences: number
  readonly exact: boolean
  readonly projectedSecondsFor1_6M: number
  /**
   * CPU seconds the store daemon, the gateway and the CS spent, per 100 000 residents: what the run
   * costs the machine, which a loaded machine's wall time hides. Over 2 cores it bounds the run from below.
   */
  readonly cpuSecondsPer100k: { store: number, gateway: number, cs: number }
}

/**
 * The CS's snapshot of `code` as encoded chunks, every 1000th resident's 住所 changed (seeded
 * differences the run must find) — built chunk by chunk so only bytes stay in the heap.
 */
export function benchSnapshot (population: Population, code: string, perChunk = PER_CHUNK): { chunks: Uint8Array[], differing: Set<string> } {
  const block = population.block(code)
  const count = Math.max(1, Math.ceil((block.end - block.start) / perChunk))
  const chunks: Uint8Array[] = []
  const differing = new Set<string>()
  const sessionId = `bench-${Date.now()}`
  for (let c = 0; c < count; c++) {
    const records: ReconcileRecord[] = []
    for (let i = block.start + c * perChunk; i < Math.min(block.end, block.start + (c + 1) * perChunk); i++) {
      const r = population.at(i)
      let id: DigestInput = identityOf(r, r.registeredBy, r.registeredOn)
      if ((i - block.start) % 1000 === 999) {
        id = { ...id, address: id.address + '１番' }
        differing.add(id.juminhyoCode)
      }
      records.push({ juminhyoCode: id.juminhyoCode, contentDigest: contentDigest(id), itemDigests: itemDigests(id) })
    }
    chunks.push(encode('ReconcileChunk', { municipalityCode: code, sessionId, chunkIndex: c, chunkCount: count, snapshotDate: population.asOf, records }))
  }
  return { chunks, differing }
}

/** Run the reconciliation over the link and time it. */
export async function measureReconciliation (o: { url: string, ca: string, cert: string, key: string, population: Population, code: string, pids: { store?: number, gateway?: number }, log: (l: string) => void }): Promise<ReconcileFigures> {
  const residents = o.population.block(o.code).end - o.population.block(o.code).start
  o.log(`  reconciliation: building the snapshot of ${residents} residents of ${o.code} (not timed)`)
  const { chunks, differing } = benchSnapshot(o.population, o.code)
  let lastChunkSentAt = 0
  const cs = new ReconcilingCs({ url: o.url, ca: o.ca, cert: o.cert, key: o.key, municipalityCode: o.code, chunks, onResult: (r) => { if (r.chunkIndex === chunks.length - 2) lastChunkSentAt = performance.now() } })
  const cpu0 = { store: processCpuMicros(o.pids.store), gateway: processCpuMicros(o.pids.gateway), cs: process.cpuUsage() }
  const t0 = performance.now()
  const final = await cs.run()
  const t1 = performance.now()
  const csCpu = process.cpuUsage(cpu0.cs)
  const per100k = (micros: number): number => Math.round((micros / 1e6) * (100_000 / Math.max(1, residents)) * 100) / 100
  const cpuSecondsPer100k = { store: per100k(processCpuMicros(o.pids.store) - cpu0.store), gateway: per100k(processCpuMicros(o.pids.gateway) - cpu0.gateway), cs: per100k(csCpu.user + csCpu.system) }
  const found = new Set<string>()
  for (const r of cs.results.values()) for (const d of r.differences) found.add(d.juminhyoCode)
  const exact = found.size === differing.size && [...differing].every((c) => found.has(c)) && final.summary?.matching === residents - differing.size
  const seconds = (t1 - t0) / 1000
  const figures = {
    residents,
    chunks: chunks.length,
    seconds: Math.round(seconds * 10) / 10,
    closeSeconds: lastChunkSentAt === 0 ? 0 : Math.round((t1 - lastChunkSentAt) / 100) / 10,
    differences: found.size,
    exact,
    projectedSecondsFor1_6M: Math.round(seconds * (TARGET_RESIDENTS / Math.max(1, residents))),
    cpuSecondsPer100k
  }
  o.log(`  reconciliation: ${residents} residents in ${figures.seconds} s (${chunks.length} chunks, close ${figures.closeSeconds} s), ${found.size} differences, exact ${exact}; projected to 1.6 M: ${figures.projectedSecondsFor1_6M} s; CPU s per 100 000: ${JSON.stringify(cpuSecondsPer100k)}`)
  return figures
}

async function main (): Promise<void> {
  const { values } = parseArgs({ options: { residents: { type: 'string', default: '100000' }, seed: { type: 'string', default: '8' } } })
  const residents = Number(values.residents)
  const log = (l: string): void => { process.stderr.write(`${l}\n`) }
  // The e2e appliance (real daemons as processes); its teardown is ours to run.
  const { startAppliance } = await import('../tests/e2e/helpers/appliance.ts')
  const { preload } = await import('../tests/e2e/helpers/reconcile.ts')
  const teardowns: Array<() => unknown> = []
  try {
    const app = await startAppliance({ teardown: (fn) => { teardowns.push(fn) } }, [FUKUOKA_CITY])
    const population = generatePopulation({ seed: Number(values.seed), municipalities: loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA_CITY), count: residents, juminhyoCheckDigit: false })
    log(`loading ${residents} residents straight into the store (not timed)`)
    await preload(app, population, [FUKUOKA_CITY])
    const cred = app.cs.get(FUKUOKA_CITY)
    if (cred === undefined) throw new Error('no CS credential')
    const figures = await measureReconciliation({ url: app.url, ca: app.ca, cert: cred.cert, key: cred.key, population, code: FUKUOKA_CITY, pids: { store: app.running.store?.child.pid, gateway: app.running.gateway?.child.pid }, log })
    process.stdout.write(`${JSON.stringify(figures)}\n`)
  } finally {
    for (const fn of teardowns.reverse()) await fn()
  }
}

/** The CS credential of the bench's PKI (run.ts identities). */
export function benchCredential (certPath: string, keyPath: string): { cert: string, key: string } {
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
    process.exit(1)
  })
}
