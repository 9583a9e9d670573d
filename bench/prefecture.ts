/**
 * Issue 6 §2–§4 on one fresh ken-server: the initial load of a whole prefecture through the gateway,
 * lookups by 住民票コード and 個人番号 on the loaded file, `ken-store verify` over the whole log, and
 * the time from SIGKILL of the store daemon to the gateway accepting again.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { measureProofs, treeCostPerUpdate } from './transparency.ts'
import { fileURLToPath } from 'node:url'
import mqtt from 'mqtt'
import { LevelStore } from '../server/src/store/level-store.ts'
import { loadApplianceKey } from '../server/src/store/appliance-key.ts'
import { waitUntilReachable } from '../server/src/appliance/daemon-process.ts'
import { Histogram } from './loadgen/histogram.ts'
import { measureSearch, type SearchFigures } from './terminal-figures.ts'
import { runLoad, type LoadResult } from './loadgen/load.ts'
import type { BenchIdentity } from './loadgen/protocol.ts'
import { benchPopulation } from './payloads.ts'
import { processCpuMicros, processWriteBytes, startKenTarget, type BenchPki } from './targets.ts'
import { sampleThreads, threadCpuBetween } from './thread-cpu.ts'
import { describePhase, loadPhases, type LoadPhase } from './load-phases.ts'
import { describeCpu, describePhaseCpu, describeThreads } from './report.ts'
import { phaseCpu, startPhaseSampler, type PhaseCpu } from './phase-cpu.ts'
import { readPayloadFile } from './payload-cache.ts'
import { describeNational, startNationalBench, type NationalFigures } from './national.ts'
import { benchCredential, FUKUOKA_CITY, measureReconciliation, type ReconcileFigures } from './reconcile.ts'
import { diskUsage } from './disk-usage.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface PrefectureFigures {
  readonly residents: number
  readonly load: LoadResult & {
    wallSeconds: number
    storeBytesOnDisk: number
    /** Bytes the store daemon wrote to the disk during the load (its log, views and their compactions). */
    storeBytesWritten: number
    peakRssMb: Record<string, number>
    /** The in-flight window of each CS link. */
    window: number
    /** Until only the last two links are left, then each of them alone (load-phases.ts). */
    phases: LoadPhase[]
    /** Each phase's CPU (phase-cpu.ts); absent before session 11. */
    phaseCpu?: PhaseCpu[]
    /**
     * CPU per acknowledged update of each process (user + system, all threads, µs), and the rate
     * the machine's cores could carry at that cost if nothing else ran: the ceiling of this design here.
     */
    cpuPerUpdateUs: {
      gateway: number, store: number, storeMainThread: number, loadGenerator: number, total: number, ceilingPerSec: number
      /** The store's CPU by thread (bench/thread-cpu.ts: main, leveldb-bg, ken-index, ken-keys, node, exited); absent before session 11. */
      storeThreads?: Record<string, number>
    }
  }
  /** The national link during the load: forwarding rate and outbox lag (issue 12). */
  readonly national: NationalFigures | undefined
  readonly queries: { keys: number, byJuminhyoCode: { p50Ms: number, p99Ms: number }, byKojinBango: { p50Ms: number, p99Ms: number }, found: number, search: SearchFigures }
  readonly verify: { seconds: number, entries: number, ok: boolean }
  /** The transparency log (bench/transparency.ts): the tree's CPU per update, and proofs on the loaded store. */
  readonly transparency: { treeUsPerUpdate: number, size: number, checkpoints: number, inclusionP50Ms: number, inclusionP99Ms: number, consistencyMs: number }
  readonly recovery: { secondsToAccepting: number }
  /** SPEC §8: reconciliation of 福岡市 over its link, after the initial load (reconcile.ts). */
  readonly reconcile?: ReconcileFigures
  /**
   * Peak resident set (VmHWM) of each daemon from its start to the end of the reconciliation, MB: the
   * national link's catch-up and the reconciliation after the load included (the store's memory rose
   * past its load peak there: bench/results/2026-11-30-session7-store-rss-during-load.txt). Absent in
   * records kept from before session 7.
   */
  readonly peakRssThroughReconcileMb?: Record<string, number>
}

export async function runPrefecture (o: { pki: BenchPki, identities: BenchIdentity[], residents: number, seed: number, workDir: string, port: number, window: number, batch: number, workers: number, queryKeys: number, log: (l: string) => void }): Promise<PrefectureFigures> {
  const ken = await startKenTarget(o.pki, o.workDir, o.port)
  let load: PrefectureFigures['load']
  let national: NationalFigures | undefined
  // The national link forwards while the load runs (issue 12: the forwarding rate and the lag).
  const link = await startNationalBench({ pkiDir: o.pki.dir, dir: o.workDir, outboxSocket: ken.outboxSocket, port: o.port + 1 })
  let reconcile: ReconcileFigures | undefined
  let peakRssThroughReconcileMb: Record<string, number> = {}
  try {
    const storePid = ken.processes.store?.child.pid
    const before = { gateway: processCpuMicros(ken.processes.gateway?.child.pid), store: processCpuMicros(storePid), storeMain: processCpuMicros(storePid, 'main'), storeThreads: sampleThreads(storePid), written: processWriteBytes(storePid) }
    const t0 = performance.now()
    const sampler = startPhaseSampler({ store: storePid, gateway: ken.processes.gateway?.child.pid }, t0)
    const r = await runLoad({ brokerUrl: `mqtts://127.0.0.1:${o.port}`, caPath: o.pki.caPath, identities: o.identities, publishTopic: o.batch > 1 ? 'ken/v1/cs/{code}/update-batch' : 'ken/v1/cs/{code}/update', subscribeTopic: o.batch > 1 ? 'ken/v1/cs/{code}/update-batch/result' : 'ken/v1/cs/{code}/result', window: o.window, batch: o.batch, mode: 'exhaust', warmupMs: 0, durationMs: 3_600_000, workers: o.workers })
    const wallSeconds = (performance.now() - t0) / 1000
    const perUpdate = (micros: number): number => Math.round((micros / Math.max(1, r.acked)) * 10) / 10
    const gateway = perUpdate(processCpuMicros(ken.processes.gateway?.child.pid) - before.gateway)
    const store = perUpdate(processCpuMicros(storePid) - before.store)
    const storeMainThread = perUpdate(processCpuMicros(storePid, 'main') - before.storeMain)
    const storeThreads = Object.fromEntries(Object.entries(threadCpuBetween(before.storeThreads, sampleThreads(storePid))).map(([name, micros]) => [name, perUpdate(micros)]))
    const loadGenerator = perUpdate(r.generatorCpuMicros)
    const total = Math.round((gateway + store + loadGenerator) * 10) / 10
    const cpuPerUpdateUs = { gateway, store, storeMainThread, loadGenerator, total, ceilingPerSec: Math.round((os.cpus().length * 1e6) / Math.max(1, total)), storeThreads }
    const phases = loadPhases(r.timeline.ackedPerSecond, r.timeline.links)
    const byPhase = phaseCpu(sampler.stop(), phases, r.timeline.ackedPerSecond)
    const storeBytesWritten = processWriteBytes(storePid) - before.written
    load = { ...r, wallSeconds: Math.round(wallSeconds * 10) / 10, storeBytesOnDisk: diskUsage(ken.dbDir), storeBytesWritten, peakRssMb: ken.peakRssMb(), window: o.window, phases, phaseCpu: byPhase, cpuPerUpdateUs }
    o.log(`  initial load: ${r.acked} updates in ${load.wallSeconds} s (${r.ratePerSec}/s), all sent: ${r.exhausted}${r.droppedLinks > 0 ? `, ${r.droppedLinks} CS links dropped` : ''}`)
    for (const p of phases) o.log(`    links sending: ${p.busyLinks}, ${describePhase(p)}`)
    for (const c of byPhase) o.log(`    CPU with ${c.busyLinks} link(s) sending: ${describePhaseCpu(c)}`)
    o.log(`    CPU per update: ${describeCpu(cpuPerUpdateUs)}`)
    o.log(`    the store's CPU per update by thread: ${describeThreads(storeThreads)}`)
    national = await link.finish(wallSeconds)
    o.log(`    national link: ${describeNational(national)}`)
    reconcile = await reconcileFukuokaCity(ken, o)
    // Before the recovery measurement kills the store: VmHWM is per process.
    peakRssThroughReconcileMb = ken.peakRssMb()
    o.log('  recovery: SIGKILL of the store daemon under a publishing CS')
  } catch (err) {
    for (const p of link.processes) await p.stop()
    await ken.stop()
    throw err
  }
  const recovery = await measureRecovery(ken, o)
  await ken.stop()
  load = { ...load, storeBytesOnDisk: diskUsage(ken.dbDir) }

  o.log(`  verify over the whole log`)
  const v0 = performance.now()
  const verifyRun = spawnSync(process.execPath, [path.join(root, 'server/bin/ken-store.js'), 'verify', '--db', ken.dbDir], { encoding: 'utf8' })
  const verifySeconds = (performance.now() - v0) / 1000
  const entries = Number(/"entries":(\d+)/.exec(verifyRun.stdout)?.[1] ?? 0)

  o.log('  transparency log: the tree\'s CPU per update, inclusion and consistency proofs')
  const transparency = { treeUsPerUpdate: treeCostPerUpdate(), ...await measureProofs(ken.dbDir) }
  o.log(`  ${o.queryKeys} random lookups by 住民票コード and by 個人番号`)
  const queries = await measureQueries(ken.dbDir, ken.keyFile, o.seed, o.residents, o.queryKeys, o.pki.dir, o.workDir)
  return { residents: o.residents, load, national, queries, verify: { seconds: Math.round(verifySeconds * 100) / 100, entries, ok: verifyRun.status === 0 }, transparency, recovery, ...(reconcile === undefined ? {} : { reconcile }), peakRssThroughReconcileMb }
}

/** The reconciliation of 福岡市 as its CS would run it, on the file the initial load made. */
async function reconcileFukuokaCity (ken: Awaited<ReturnType<typeof startKenTarget>>, o: { pki: BenchPki, identities: BenchIdentity[], residents: number, seed: number, port: number, log: (l: string) => void }): Promise<ReconcileFigures | undefined> {
  const id = o.identities.find((i) => i.code === FUKUOKA_CITY)
  if (id === undefined) return undefined
  const cred = benchCredential(id.certPath, id.keyPath)
  return await measureReconciliation({ url: `mqtts://127.0.0.1:${o.port}`, ca: readFileSync(o.pki.caPath, 'utf8'), ...cred, population: benchPopulation(o.seed, o.residents), code: FUKUOKA_CITY, pids: { store: ken.processes.store?.child.pid, gateway: ken.processes.gateway?.child.pid }, log: o.log })
}

async function measureQueries (dbDir: string, keyFile: string, seed: number, residents: number, keys: number, pkiDir: string, workDir: string): Promise<PrefectureFigures['queries']> {
  // Opened as the store daemon opens it (daemon.ts): the keys' and views' tables opened after the
  // start (daemon.ts: once it answers), before the terminal's first lookup reaches it (level-store.ts WARMED).
  const store = new LevelStore({ location: dbDir, applianceKey: await loadApplianceKey(keyFile), createIfMissing: false })
  await store.open()
  await store.warmTables()
  const population = benchPopulation(seed, residents)
  const byCode = new Histogram()
  const byNumber = new Histogram()
  let found = 0
  let search: SearchFigures | undefined
  let x = seed >>> 0
  try {
    for (let i = 0; i < keys; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0
      const r = population.at(x % residents)
      let t = performance.now()
      const rec = await store.getCurrent(r.juminhyoCode)
      byCode.record(performance.now() - t)
      t = performance.now()
      const code = await store.findByKojinBango(r.kojinBango)
      byNumber.record(performance.now() - t)
      if (rec !== undefined && code === r.juminhyoCode) found++
    }
    search = await measureSearch(store, (i) => population.at(i), residents, seed, Math.min(keys, 2000), pkiDir, workDir)
  } finally {
    await store.close()
  }
  const q = (h: Histogram): { p50Ms: number, p99Ms: number } => ({ p50Ms: Math.round(h.quantile(0.5) * 1000) / 1000, p99Ms: Math.round(h.quantile(0.99) * 1000) / 1000 })
  if (search === undefined) throw new Error('search figures missing')
  return { keys, byJuminhyoCode: q(byCode), byKojinBango: q(byNumber), found, search }
}

/**
 * Kill -9 the store daemon while one CS keeps publishing, restart it at once (systemd Restart=),
 * and time until the gateway acknowledges an update again. The updates are redeliveries of loaded
 * residents, so the store answers DUPLICATE — which it can only do once it is back.
 */
async function measureRecovery (ken: Awaited<ReturnType<typeof startKenTarget>>, o: { pki: BenchPki, identities: BenchIdentity[], port: number }): Promise<{ secondsToAccepting: number }> {
  const id = o.identities[0] as BenchIdentity
  const payloads = readPayloadFile(id.payloadFile)
  const client = await mqtt.connectAsync(`mqtts://127.0.0.1:${o.port}`, { clientId: id.clientId, key: readFileSync(id.keyPath), cert: readFileSync(id.certPath), ca: readFileSync(o.pki.caPath), protocolVersion: 4, clean: true, reconnectPeriod: 200, rejectUnauthorized: true } as mqtt.IClientOptions)
  try {
    await client.publishAsync(`ken/v1/cs/${id.code}/update`, payloads[0] as Buffer, { qos: 1 })
    const store = ken.processes.store
    if (store === undefined) throw new Error('no store process')
    const killedAt = performance.now()
    store.child.kill('SIGKILL')
    await store.exited
    const restarted = ken.restartStore()
    const acked = (async () => {
      for (let i = 0; ; i++) {
        await client.publishAsync(`ken/v1/cs/${id.code}/update`, payloads[i % payloads.length] as Buffer, { qos: 1 })
        return performance.now()
      }
    })()
    await waitUntilReachable(restarted, { path: ken.socket }, 120_000)
    const at = await acked
    return { secondsToAccepting: Math.round(((at - killedAt) / 1000) * 1000) / 1000 }
  } finally {
    await client.endAsync(true)
  }
}

/** For the report: the kernel's idea of the CPU. */
export function cpuModel (): string {
  try {
    return execFileSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}
