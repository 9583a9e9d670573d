/**
 * `npm run bench` — the figures of SPEC §8 on this machine, with Mosquitto measured in the same run.
 *   npm run bench [-- --quick] [--residents N] [--rounds N] [--duration S] [--workers N] [--window N] [--load-window N] [--load-batch N]
 * --window is the in-flight window of every link in the ingest comparison (the same for all three
 * targets); --load-window that of the initial load, by default what the gateway allows a CS
 * (firmware-config gateway.maxInflightPerCs), as a CS sending its whole register would use it.
 * Prints a table and writes bench/results/latest.json. Performance claims are made from this only.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { devPki } from '../certs/src/index.ts'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../firmware-config/src/index.ts'
import { DEFAULTS as APPLIANCE_DEFAULTS } from '../firmware-config/src/defaults.ts'
import { runIngestComparison, type IngestSummary } from './ingest.ts'
import type { BenchIdentity } from './loadgen/protocol.ts'
import { findOrInstallMosquitto } from './mosquitto.ts'
import { writePayloadFile } from './payload-cache.ts'
import { BENCH_POPULATION, createPayloadSource } from './payloads.ts'
import { measurePhysicalLimits, type PhysicalLimits } from './physical.ts'
import { cpuModel, runPrefecture, type PrefectureFigures } from './prefecture.ts'
import { renderTable } from './report.ts'
import { issueTargets, renderTargets } from './issue-targets.ts'

const { values } = parseArgs({
  strict: true,
  options: {
    quick: { type: 'boolean', default: false },
    residents: { type: 'string' },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    workers: { type: 'string' },
    window: { type: 'string' },
    'load-window': { type: 'string' },
    'load-batch': { type: 'string' },
    'query-keys': { type: 'string' },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    // Added to every port the bench listens on, so that benches on one machine do not meet.
    'port-offset': { type: 'string' }
  }
})
const quick = values.quick === true
const int = (s: string | undefined, d: number): number => (s === undefined ? d : Math.max(1, Math.floor(Number(s))))
const opts = {
  quick,
  residents: int(values.residents, quick ? 60_000 : 5_100_000),
  rounds: int(values.rounds, 3),
  durationMs: int(values.duration, quick ? 6 : 20) * 1000,
  warmupMs: quick ? 1500 : 3000,
  workers: int(values.workers, quick ? 2 : 3),
  window: int(values.window, 32),
  loadWindow: int(values['load-window'], APPLIANCE_DEFAULTS.gateway.maxInflightPerCs),
  // Updates per PUBLISH in the initial load (…/update-batch, batch.proto); 1 sends each alone.
  loadBatch: Math.min(int(values['load-batch'], 1), APPLIANCE_DEFAULTS.gateway.maxBatchUpdates),
  queryKeys: int(values['query-keys'], quick ? 10_000 : 100_000),
  seed: int(values.seed, 8),
  portOffset: Math.max(0, Math.floor(Number(values['port-offset'] ?? 0)))
}
const log = (line: string): void => { process.stderr.write(`${line}\n`) }

async function main (): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ken-bench-'))
  try {
    log(`ken-server bench ${quick ? '(quick) ' : ''}— ${os.cpus().length} cores, ${cpuModel()}, node ${process.version}; work dir ${work}`)
    const mosquittoBin = findOrInstallMosquitto(log)
    const municipalities = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities
    const codes = municipalities.map((m) => m.code)
    const pkiDir = path.join(work, 'pki')
    await devPki(pkiDir, codes, { nationalClient: '40' })
    const pki = { dir: pkiDir, caPath: path.join(pkiDir, 'ca.crt'), serverCert: path.join(pkiDir, 'server.crt'), serverKey: path.join(pkiDir, 'server.key') }

    log('physical limits of this machine')
    const physical: PhysicalLimits = await measurePhysicalLimits({ millis: quick ? 1000 : 3000 })

    // Enough payloads per CS for the fastest broker to run the whole window without running dry.
    const perCs = Math.ceil(((opts.warmupMs + opts.durationMs) / 1000) * 800)
    log(`generating ${perCs} updates per CS for the ingest comparison (not timed)`)
    const ingestIds = identities(work, 'ingest', pkiDir, codes, (code, file) => writePayloadFile(file, createPayloadSource('initial-load', code, opts.seed, BENCH_POPULATION), perCs))
    log(`ingest: Mosquitto vs ken-server vs bare aedes, ${opts.rounds} rounds of ${opts.durationMs / 1000} s, 60 CS, QoS 1, window ${opts.window}`)
    const ingest: IngestSummary = await runIngestComparison({ pki, identities: ingestIds, workDir: path.join(work, 'ingest'), mosquittoBin, rounds: opts.rounds, durationMs: opts.durationMs, warmupMs: opts.warmupMs, window: opts.window, workers: opts.workers, basePort: 18_883 + opts.portOffset, log })

    log(`generating the initial load of ${opts.residents} residents (not timed)`)
    let total = 0
    const loadIds = identities(work, 'load', pkiDir, codes, (code, file) => {
      const n = writePayloadFile(file, createPayloadSource('initial-load', code, opts.seed, opts.residents), Number.MAX_SAFE_INTEGER)
      total += n
      return n
    })
    log(`initial load: ${total} residents through the gateway, window ${opts.loadWindow} per CS, ${opts.loadBatch} update(s) per PUBLISH`)
    const prefecture: PrefectureFigures = await runPrefecture({ pki, identities: loadIds, residents: opts.residents, seed: opts.seed, workDir: path.join(work, 'prefecture'), port: 18_800 + opts.portOffset, window: opts.loadWindow, batch: opts.loadBatch, workers: opts.workers, queryKeys: opts.queryKeys, log })

    const result = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      date: new Date().toISOString(),
      machine: { cores: os.cpus().length, cpu: cpuModel(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, mosquitto: ingest.mosquittoVersion },
      options: opts,
      physical,
      ingest,
      prefecture
    }
    const targets = issueTargets(result)
    const outDir = new URL('./results/', import.meta.url)
    mkdirSync(outDir, { recursive: true })
    writeFileSync(new URL('latest.json', outDir), `${JSON.stringify({ ...result, targets }, null, 2)}\n`)
    process.stdout.write(`${renderTable(result)}\n\n${renderTargets(targets)}\n`)
    log('wrote bench/results/latest.json')
  } finally {
    if (values.keep !== true) rmSync(work, { recursive: true, force: true })
  }
}

function identities (work: string, tag: string, pkiDir: string, codes: readonly string[], fill: (code: string, file: string) => number): BenchIdentity[] {
  const dir = path.join(work, `payloads-${tag}`)
  mkdirSync(dir, { recursive: true })
  return codes.map((code) => {
    const payloadFile = path.join(dir, `${code}.bin`)
    fill(code, payloadFile)
    return { code, clientId: `cs-${code}`, certPath: path.join(pkiDir, 'cs', `${code}.crt`), keyPath: path.join(pkiDir, 'cs', `${code}.key`), payloadFile }
  })
}

main().catch((err: unknown) => {
  log(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`)
  process.exit(1)
})
