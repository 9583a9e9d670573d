/**
 * The store alone, in this process: how much CPU one accepted update costs the store's commit path
 * (plan, seal, frame, views, LevelDB batch). The gateway's cost and the socket are left out, so a
 * change to the store's hot path can be measured in seconds and without the noise of the whole bench.
 *   node --import tsx bench/store-append.ts [--residents N] [--request N] [--inflight N] [--prepare-keys false] [--write-buffer-mib N] [--seek-compaction false] [--every N] [--keep DIR]
 * Prints updates/s and CPU µs per update (user + system of this process) — in all and by thread
 * (bench/thread-cpu.ts: main, leveldb-bg, ken-index, ken-keys, uv-pool = libuv's pool, node = V8's platform) —, and per window of `--every`
 * updates; the least-loaded windows (the lowest quarter) are what to compare between two builds on a
 * machine others use too, since contention only ever adds CPU time (caches, frequency).
 * Also prints LevelDB's write amplification: bytes this process wrote (/proc/self/io: `wchar`, what it
 * handed to write() — LevelDB's write-ahead logs, tables and compactions — and `write_bytes`, what
 * reached the block device, 0 on tmpfs) per update and against what each database keeps.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { createHash, randomBytes } from 'node:crypto'
import { LevelStore } from '../server/src/store/level-store.ts'
import { signerFromSeed } from '../server/src/log/checkpoint/index.ts'
import { initialLoadUpdate } from '../tests/sim/generator/index.ts'
import { benchPopulation } from './payloads.ts'
import { encode } from '../proto/src/codec.ts'
import { decodeAppendRequest } from '../server/src/store/append-request-decode.ts'
import { encodeAppendRequest, type OutgoingAppendItem } from '../server/src/store/append-request.ts'
import { diskUsage } from './disk-usage.ts'
import { peakRssMb, processCpuMicros } from './targets.ts'
import { sampleThreads, threadCpuBetween } from './thread-cpu.ts'
import { namePoolThreads } from '../server/src/store/pool-thread-names.ts'

const { values } = parseArgs({ options: { residents: { type: 'string', default: '200000' }, request: { type: 'string', default: '16' }, inflight: { type: 'string', default: '64' }, seed: { type: 'string', default: '1' }, 'prepare-keys': { type: 'string', default: 'true' }, 'write-buffer-mib': { type: 'string' }, 'seek-compaction': { type: 'string' }, 'max-entries': { type: 'string', default: '512' }, every: { type: 'string' }, keep: { type: 'string' } } })
const residents = Number(values.residents)
const perRequest = Number(values.request)
const inflight = Number(values.inflight)
const population = benchPopulation(Number(values.seed), residents)

// Every CS's block in turn, as the 60 links would interleave them, encoded as the gateway sends them
// (AppendRequest bytes, decoded here as the append server does): nothing but bytes stays in the heap.
const requests: Uint8Array[] = []
let total = 0
{
  const blocks = population.blocks
  let pending: OutgoingAppendItem[] = []
  for (let round = 0; total < residents; round++) {
    let added = false
    for (const b of blocks) {
      const i = b.start + round
      if (i >= b.end || total >= residents) continue
      const updateBytes = encode('Update', initialLoadUpdate(population, i))
      pending.push({ municipalityCode: b.municipality.code, update: null, rejection: null, updateBytes, payloadSha256: createHash('sha256').update(updateBytes).digest() })
      total++
      added = true
      if (pending.length === perRequest) {
        requests.push(encodeAppendRequest(requests.length + 1, pending))
        pending = []
      }
    }
    if (!added) break
  }
  if (pending.length > 0) requests.push(encodeAppendRequest(requests.length + 1, pending))
}

// --keep DIR: load into DIR and leave it (to time `ken-store verify` on it).
const dir = values.keep ?? mkdtempSync(path.join(os.tmpdir(), 'ken-store-bench-'))
// As the daemon runs it (daemon.ts).
// With --keep the keys go beside DIR (DIR.keys.json), so bench/store-reads.ts can open the same store.
const applianceKey = randomBytes(32)
const signerSeed = randomBytes(32)
if (values.keep !== undefined) writeFileSync(`${dir}.keys.json`, JSON.stringify({ applianceKey: applianceKey.toString('hex'), signerSeed: signerSeed.toString('hex'), seed: Number(values.seed), residents }), { mode: 0o600 })
const store = new LevelStore({ location: dir, applianceKey, logSigner: signerFromSeed('ken-server.bench/log', signerSeed), prepareKeys: values['prepare-keys'] !== 'false', ...(values['write-buffer-mib'] === undefined ? {} : { writeBufferSize: Number(values['write-buffer-mib']) * (1 << 20) }), ...(values['seek-compaction'] === undefined ? {} : { seekCompaction: values['seek-compaction'] !== 'false' }), maxEntries: Number(values['max-entries']) })
await store.open()
await namePoolThreads()
const threads0 = sampleThreads(process.pid)
const io0 = writeBytes()
const device0 = ioCounter('write_bytes')
const cpu0 = process.cpuUsage()
const main0 = mainThreadMicros()
const t0 = performance.now()
let next = 0
let nextRequest = 0
let accepted = 0
const every = values.every === undefined ? Math.max(50_000, Math.floor(total / 10)) : Number(values.every)
let mark = every
let last = { at: t0, cpu: process.cpuUsage(), done: 0, written: io0 }
let lastMain = mainThreadMicros()
const windows: Array<{ cpu: number, main: number }> = []
function report (): void {
  const now = performance.now()
  const cpu = process.cpuUsage(last.cpu)
  const main = mainThreadMicros()
  const n = next - last.done
  const written = writeBytes()
  console.log(`  ${next}: ${Math.round(n / ((now - last.at) / 1000))}/s, CPU ${((cpu.user + cpu.system) / n).toFixed(1)} µs/update, of which the main thread ${((main - lastMain) / n).toFixed(1)}; wrote ${Math.round((written - last.written) / n)} B/update`)
  windows.push({ cpu: (cpu.user + cpu.system) / n, main: (main - lastMain) / n })
  last = { at: now, cpu: process.cpuUsage(), done: next, written }
  lastMain = main
  mark += every
}

/** CPU time of this process's main thread (the store's serial path), from /proc (Linux; clock ticks). */
function mainThreadMicros (): number {
  return processCpuMicros(process.pid, 'main')
}
/** A counter of /proc/self/io (Linux), bytes. */
function ioCounter (name: 'wchar' | 'write_bytes'): number {
  try {
    return Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN)
  } catch {
    return Number.NaN
  }
}
function writeBytes (): number {
  return ioCounter('wchar')
}

/**
 * What LevelDB wrote to tables in one database, from its info log (LOG; leveldb db_impl.cc): memtable
 * flushes ("Level-0 table #N: B bytes") and compactions ("Compacted … => B bytes"); its write-ahead
 * log (every batch once) is not in it.
 */
function tableWrites (db: string): { flushed: number, compacted: number } {
  let text = ''
  try {
    text = readFileSync(path.join(db, 'LOG'), 'utf8')
  } catch {
    return { flushed: Number.NaN, compacted: Number.NaN }
  }
  const sum = (re: RegExp): number => [...text.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0)
  return { flushed: sum(/Level-0 table #\d+: (\d+) bytes/g), compacted: sum(/Compacted .* => (\d+) bytes/g) }
}

async function lane (): Promise<void> {
  while (nextRequest < requests.length) {
    const request = decodeAppendRequest(requests[nextRequest++] as Uint8Array)
    next += request.items.length
    for (const r of await store.append(request.items)) if (r.status === 1) accepted++
    if (next >= mark) report()
  }
}
await Promise.all(Array.from({ length: inflight }, lane))
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
// Before close, while the store's workers still run (they end with it).
const byThread = threadCpuBetween(threads0, sampleThreads(process.pid))
await store.close()
// After close: a compaction the load started finishes first (its bytes are the load's).
const written = writeBytes() - io0
const device = ioCounter('write_bytes') - device0
const kept = Object.fromEntries(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => [e.name, diskUsage(path.join(dir, e.name))]))
const keptTotal = Object.values(kept).reduce((a, b) => a + b, 0)
const mb = (n: number): string => (n / 1e6).toFixed(1)
console.log(`disk: wrote ${mb(written)} MB (${Math.round(written / total)} B/update; ${mb(device)} MB reached the device) to keep ${mb(keptTotal)} MB (${Object.entries(kept).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}): ${(written / keptTotal).toFixed(2)}× what it keeps`)
for (const name of Object.keys(kept)) {
  const { flushed, compacted } = tableWrites(path.join(dir, name))
  console.log(`  ${name}: keeps ${mb(kept[name] ?? 0)} MB (${Math.round((kept[name] ?? 0) / total)} B/update); flushed ${mb(flushed)} MB, compacted ${mb(compacted)} MB (${Math.round((flushed + compacted) / total)} B/update in tables)`)
}
if (values.keep === undefined) rmSync(dir, { recursive: true, force: true })
const us = (cpu.user + cpu.system) / total
// The first window pays for start-up (JIT, the first LevelDB files): left out of the quartile.
const quartile = (xs: number[]): string => {
  const sorted = xs.slice(windows.length > 1 ? 1 : 0).sort((a, b) => a - b)
  const low = sorted.slice(0, Math.max(1, Math.floor(sorted.length / 4)))
  return (low.reduce((a, b) => a + b, 0) / low.length).toFixed(1)
}
if (windows.length > 0) console.log(`lowest quarter of ${windows.length} windows: CPU ${quartile(windows.map((w) => w.cpu))} µs/update, of which the main thread ${quartile(windows.map((w) => w.main))}`)
// The process's peak RSS (the requests it holds are in it too): to compare LevelDB options that trade memory.
console.log(`by thread, µs/update: ${Object.entries(byThread).filter(([, us]) => us > 0).sort((a, b) => b[1] - a[1]).map(([name, us]) => `${name} ${(us / total).toFixed(1)}`).join(', ')}`)
console.log(`peak RSS ${peakRssMb(process.pid)} MB`)
console.log(`${total} updates (${accepted} accepted) in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)}/s, CPU ${us.toFixed(1)} µs/update, of which the main thread ${((mainThreadMicros() - main0) / total).toFixed(1)}`)
