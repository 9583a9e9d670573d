/**
 * Issue 6 §1: the same load generator, the same payloads, the same duration, against Mosquitto, the
 * bare aedes broker and ken-server, alternated `rounds` times (the machine is shared and noisy);
 * medians reported. Mosquitto relays each update back to its sender (the CS subscribes to its own
 * update topic), as ken-server sends each CS a result message per update.
 */
import path from 'node:path'
import { runLoad, type LoadResult } from './loadgen/load.ts'
import type { BenchIdentity } from './loadgen/protocol.ts'
import { startBareAedesTarget, startKenTarget, startMosquittoTarget, type BenchPki, type Target } from './targets.ts'

export interface IngestRun extends LoadResult {
  readonly target: string
  readonly round: number
  readonly peakRssMb: Record<string, number>
}

export interface IngestSummary {
  readonly runs: IngestRun[]
  readonly median: Record<string, { ratePerSec: number, p50Ms: number, p99Ms: number, peakRssMb: Record<string, number> }>
  readonly ratioKenToMosquitto: number
  readonly mosquittoVersion: string
}

export interface IngestOptions {
  readonly pki: BenchPki
  readonly identities: BenchIdentity[]
  readonly workDir: string
  readonly mosquittoBin: string
  readonly rounds: number
  readonly durationMs: number
  readonly warmupMs: number
  readonly window: number
  readonly workers: number
  readonly basePort: number
  readonly log: (line: string) => void
}

function median (xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export async function runIngestComparison (o: IngestOptions): Promise<IngestSummary> {
  const runs: IngestRun[] = []
  let mosquittoVersion = ''
  let port = o.basePort
  for (let round = 1; round <= o.rounds; round++) {
    // Alternate the order so neither side always runs on a warmer (or more tired) machine.
    const order = round % 2 === 1 ? ['mosquitto', 'ken-server', 'bare aedes'] : ['ken-server', 'mosquitto', 'bare aedes']
    for (const name of order) {
      const dir = path.join(o.workDir, `round${round}-${name.replace(/\s/g, '-')}`)
      const p = port++
      let target: Target
      let topics: { publishTopic: string, subscribeTopic: string }
      if (name === 'mosquitto') {
        const m = await startMosquittoTarget(o.mosquittoBin, o.pki, dir, p)
        mosquittoVersion = m.version
        target = m
        topics = { publishTopic: 'ken/v1/cs/{code}/update', subscribeTopic: 'ken/v1/cs/{code}/update' }
      } else if (name === 'bare aedes') {
        target = await startBareAedesTarget(o.pki, dir, p)
        topics = { publishTopic: 'ken/v1/cs/{code}/update', subscribeTopic: 'ken/v1/cs/{code}/update' }
      } else {
        target = await startKenTarget(o.pki, dir, p)
        topics = { publishTopic: 'ken/v1/cs/{code}/update', subscribeTopic: 'ken/v1/cs/{code}/result' }
      }
      try {
        const r = await runLoad({ brokerUrl: `mqtts://127.0.0.1:${p}`, caPath: o.pki.caPath, identities: o.identities, ...topics, window: o.window, mode: 'duration', warmupMs: o.warmupMs, durationMs: o.durationMs, workers: o.workers })
        const run = { ...r, target: name, round, peakRssMb: target.peakRssMb() }
        runs.push(run)
        o.log(`  round ${round} ${name.padEnd(10)} ${String(r.ratePerSec).padStart(7)} updates/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms${r.errors > 0 ? `  errors ${r.errors}` : ''}`)
      } finally {
        await target.stop()
      }
    }
  }
  const med: IngestSummary['median'] = {}
  for (const name of ['mosquitto', 'ken-server', 'bare aedes']) {
    const mine = runs.filter((r) => r.target === name)
    const rss: Record<string, number> = {}
    for (const r of mine) for (const [k, v] of Object.entries(r.peakRssMb)) rss[k] = Math.max(rss[k] ?? 0, v)
    med[name] = { ratePerSec: median(mine.map((r) => r.ratePerSec)), p50Ms: median(mine.map((r) => r.p50Ms)), p99Ms: median(mine.map((r) => r.p99Ms)), peakRssMb: rss }
  }
  const ken = med['ken-server']?.ratePerSec ?? 0
  const mosq = med.mosquitto?.ratePerSec ?? 0
  return { runs, median: med, ratioKenToMosquitto: mosq === 0 ? 0 : Math.round((ken / mosq) * 1000) / 1000, mosquittoVersion }
}
