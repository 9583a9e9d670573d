/**
 * ken-server's ingest alone (issue 18, "ingest ratio"): 60 CS links over mutual TLS, QoS 1, one update
 * per PUBLISH (or --batch N per PUBLISH), every payload of --per-cs sent once ('exhaust' mode), against
 * a fresh store daemon + gateway. Reports the rate and the CPU per acknowledged update of the gateway,
 * the store (all threads and its main thread) and the load generator (process CPU from /proc, as
 * bench/prefecture.ts), over the whole load (the 60 TLS handshakes are in it, ~0.1 % of the CPU).
 *
 *   node --import tsx bench/ingest-ken.ts [--tree DIR] [--work DIR] [--port N] [--per-cs N] [--batch N]
 *                                         [--window N] [--workers N] [--links N] [--prof DIR]
 * --tree: the checkout whose store and gateway run (default this one), for A/B runs of two trees with
 * the same load generator; --work: PKI and payloads kept there and reused by later runs (default a
 * temporary directory, removed); --links: only the first N CS send (default all 60), as in the
 * initial load's tail where one or two links are left; --prof: V8 CPU profiles of both daemons
 * (KEN_CPU_PROF_DIR), to be read with bench/cpuprofile-summary.ts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { devPki } from '../certs/src/index.ts'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../firmware-config/src/index.ts'
import { runLoad } from './loadgen/load.ts'
import type { BenchIdentity } from './loadgen/protocol.ts'
import { writePayloadFile } from './payload-cache.ts'
import { BENCH_POPULATION, createPayloadSource } from './payloads.ts'
import type * as Targets from './targets.ts'
import { sampleThreads, threadCpuBetween } from './thread-cpu.ts'

const { values } = parseArgs({
  strict: true,
  options: {
    tree: { type: 'string' },
    work: { type: 'string' },
    port: { type: 'string', default: '19883' },
    'per-cs': { type: 'string', default: '2000' },
    batch: { type: 'string', default: '1' },
    window: { type: 'string', default: '32' },
    workers: { type: 'string', default: '2' },
    links: { type: 'string' },
    prof: { type: 'string' },
    seed: { type: 'string', default: '8' }
  }
})
const int = (s: string | undefined, name: string): number => {
  const n = Math.floor(Number(s))
  if (!(n >= 1)) throw new Error(`--${name} must be a positive integer`)
  return n
}
const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const tree = path.resolve(values.tree ?? here)
const port = int(values.port, 'port')
const perCs = int(values['per-cs'], 'per-cs')
const batch = int(values.batch, 'batch')
const log = (line: string): void => { process.stderr.write(`${line}\n`) }

/** Write and read system calls a process has made so far (Linux /proc/PID/io `syscw`, `syscr`); 0 when unreadable. */
function syscalls (pid: number | undefined): { writes: number, reads: number } {
  try {
    const io = readFileSync(`/proc/${String(pid)}/io`, 'utf8')
    return { writes: Number(/^syscw: (\d+)$/m.exec(io)?.[1] ?? 0), reads: Number(/^syscr: (\d+)$/m.exec(io)?.[1] ?? 0) }
  } catch {
    return { writes: 0, reads: 0 }
  }
}

async function main (): Promise<void> {
  if (values.prof !== undefined) process.env.KEN_CPU_PROF_DIR = path.resolve(values.prof)
  // The tree's own targets.ts, so that its store and gateway run (targets.ts spawns from its own root).
  const targets = await import(path.join(tree, 'bench/targets.ts')) as typeof Targets
  const keep = values.work !== undefined
  const work = keep ? path.resolve(values.work as string) : mkdtempSync(path.join(os.tmpdir(), 'ken-ingest-'))
  try {
    const codes = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.map((m) => m.code)
    const pkiDir = path.join(work, 'pki')
    if (!existsSync(path.join(pkiDir, 'ca.crt'))) await devPki(pkiDir, codes)
    const pki = { dir: pkiDir, caPath: path.join(pkiDir, 'ca.crt'), serverCert: path.join(pkiDir, 'server.crt'), serverKey: path.join(pkiDir, 'server.key') }
    const payloads = path.join(work, `payloads-${perCs}`)
    mkdirSync(payloads, { recursive: true })
    // --links N: only the first N municipalities send (the initial load's tail has one or two links left).
    const sending = values.links === undefined ? codes : codes.slice(0, int(values.links, 'links'))
    const identities: BenchIdentity[] = sending.map((code) => {
      const payloadFile = path.join(payloads, `${code}.bin`)
      if (!existsSync(payloadFile)) writePayloadFile(payloadFile, createPayloadSource('initial-load', code, int(values.seed, 'seed'), BENCH_POPULATION), perCs)
      return { code, clientId: `cs-${code}`, certPath: path.join(pkiDir, 'cs', `${code}.crt`), keyPath: path.join(pkiDir, 'cs', `${code}.key`), payloadFile }
    })
    const runDir = path.join(work, `run-${port}-${Date.now()}`)
    const ken = await targets.startKenTarget(pki, runDir, port)
    try {
      const gw = ken.processes.gateway?.child.pid
      const st = ken.processes.store?.child.pid
      const cpu = (): { gateway: number, gatewayMain: number, store: number, storeMain: number } => ({ gateway: targets.processCpuMicros(gw), gatewayMain: targets.processCpuMicros(gw, 'main'), store: targets.processCpuMicros(st), storeMain: targets.processCpuMicros(st, 'main') })
      const before = cpu()
      const callsBefore = syscalls(gw)
      const threadsBefore = sampleThreads(gw)
      const r = await runLoad({
        brokerUrl: `mqtts://127.0.0.1:${port}`, caPath: pki.caPath, identities, publishTopic: batch > 1 ? 'ken/v1/cs/{code}/update-batch' : 'ken/v1/cs/{code}/update', subscribeTopic: batch > 1 ? 'ken/v1/cs/{code}/update-batch/result' : 'ken/v1/cs/{code}/result', window: int(values.window, 'window'), batch, mode: 'exhaust', warmupMs: 0, durationMs: 600_000, workers: int(values.workers, 'workers')
      })
      const after = cpu()
      const callsAfter = syscalls(gw)
      const threads = threadCpuBetween(threadsBefore, sampleThreads(gw))
      const per = (us: number): number => Math.round((us / Math.max(1, r.acked)) * 10) / 10
      const fig = { gateway: per(after.gateway - before.gateway), gatewayMain: per(after.gatewayMain - before.gatewayMain), store: per(after.store - before.store), storeMain: per(after.storeMain - before.storeMain), loadGenerator: per(r.generatorCpuMicros) }
      process.stdout.write(`tree ${tree} port ${port} batch ${batch}: ${r.acked} acked in ${r.seconds.toFixed(1)} s = ${r.ratePerSec}/s  p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms  errors ${r.errors} dropped ${r.droppedLinks} results ${r.received}\n`)
      process.stdout.write(`  CPU µs/update: gateway ${fig.gateway} (main thread ${fig.gatewayMain})  store ${fig.store} (main thread ${fig.storeMain})  load generator ${fig.loadGenerator}  total ${Math.round((fig.gateway + fig.store + fig.loadGenerator) * 10) / 10}\n`)
      process.stdout.write(`  gateway system calls/update: write ${((callsAfter.writes - callsBefore.writes) / Math.max(1, r.acked)).toFixed(2)}  read ${((callsAfter.reads - callsBefore.reads) / Math.max(1, r.acked)).toFixed(2)}\n`)
      const rss = ken.peakRssMb()
      process.stdout.write(`  peak RSS MB: gateway ${rss.gateway ?? 0}  store ${rss.store ?? 0}\n`)
      process.stdout.write(`  gateway CPU µs/update by thread: ${Object.entries(threads).filter(([, us]) => us > 0).map(([name, us]) => `${name} ${per(us)}`).join('  ')}\n`)
    } finally {
      await ken.stop()
      rmSync(runDir, { recursive: true, force: true })
    }
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  log(`ingest-ken failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
  process.exit(1)
})
