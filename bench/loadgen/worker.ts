/**
 * One load-generator process (forked by load.ts): a subset of the CS identities, each an mqtt.js
 * client over mutual TLS 1.3 keeping `window` QoS 1 publishes in flight, sending its pre-generated
 * payloads in order. PUBACK latency goes into a histogram; in 'duration' mode only PUBACKs inside the
 * measuring window count. Reports to the parent over IPC.
 */
import mqtt from 'mqtt'
import { readFileSync } from 'node:fs'
import { Histogram } from './histogram.ts'
import { encode } from '../../proto/src/codec.ts'
import { readPayloadFile } from '../payload-cache.ts'
import { pump, type PumpTally } from './pump.ts'
import type { BenchIdentity, WorkerJob, WorkerReport } from './protocol.ts'

const job = JSON.parse(process.env.KEN_BENCH_JOB ?? '{}') as WorkerJob
const ca = readFileSync(job.caPath)
const tally: PumpTally = { acked: 0, sent: 0, errors: 0, dropped: 0, measuring: job.mode === 'exhaust', running: true, started: 0, hist: new Histogram(), ackedPerSecond: [], links: [] }
let received = 0
let cpuAtStart = 0

function send (msg: WorkerReport): void {
  process.send?.(msg)
}

async function connect (identity: BenchIdentity): Promise<mqtt.MqttClient> {
  const client = mqtt.connect(job.brokerUrl, {
    clientId: identity.clientId,
    key: readFileSync(identity.keyPath),
    cert: readFileSync(identity.certPath),
    ca,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 30_000,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.3'
  } as mqtt.IClientOptions)
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve())
    client.once('error', reject)
  })
  client.on('error', () => { tally.errors++ })
  client.on('message', () => { if (tally.measuring) received++ })
  await client.subscribeAsync(job.subscribeTopic.replace('{code}', identity.code), { qos: 1 })
  return client
}

/** One link's updates, published as `job.batch` says (pump.ts). */
async function pumpLink (client: mqtt.MqttClient, identity: BenchIdentity, updates: Buffer[]): Promise<boolean> {
  const { payloads, counts } = batched(updates, job.batch ?? 1)
  return await pump(client, { code: identity.code, topic: job.publishTopic.replace('{code}', identity.code), payloads, counts, window: job.window }, tally)
}

/** The updates as PUBLISH payloads: each alone, or UpdateBatch messages of up to `size`. */
function batched (updates: Buffer[], size: number): { payloads: Buffer[], counts: number[] } {
  if (size <= 1) return { payloads: updates, counts: [] }
  const payloads: Buffer[] = []
  const counts: number[] = []
  for (let i = 0; i < updates.length; i += size) {
    const part = updates.slice(i, i + size)
    payloads.push(Buffer.from(encode('UpdateBatch', { updates: part })))
    counts.push(part.length)
  }
  return { payloads, counts }
}

function finish (exhausted: boolean): void {
  const seconds = job.mode === 'exhaust' ? (performance.now() - tally.started) / 1000 : job.durationMs / 1000
  const cpu = process.cpuUsage()
  // Seconds no PUBACK fell into are holes in the array: make them zeros for JSON.
  const { acked, sent, errors, dropped, hist, ackedPerSecond, links } = tally
  send({ type: 'done', acked, sent, errors, dropped, received, histogram: hist.counts, seconds, exhausted, ackedPerSecond: Array.from(ackedPerSecond, (c) => c ?? 0), links, cpuMicros: cpu.user + cpu.system - cpuAtStart })
  setTimeout(() => process.exit(0), 200)
}

async function main (): Promise<void> {
  const payloads = job.identities.map((id) => readPayloadFile(id.payloadFile))
  const clients: mqtt.MqttClient[] = []
  for (const id of job.identities) clients.push(await connect(id))
  send({ type: 'ready' })
  process.on('message', (msg: { type: string }) => {
    if (msg.type !== 'go') return
    tally.started = performance.now()
    const cpu = process.cpuUsage()
    cpuAtStart = cpu.user + cpu.system
    const all = Promise.all(job.identities.map(async (id, i) => await pumpLink(clients[i] as mqtt.MqttClient, id, payloads[i] ?? [])))
    if (job.mode === 'duration') {
      setTimeout(() => { tally.measuring = true }, job.warmupMs)
      setTimeout(() => {
        tally.measuring = false
        tally.running = false
        finish(false)
      }, job.warmupMs + job.durationMs)
    } else {
      const cap = setTimeout(() => { tally.running = false }, job.durationMs)
      void all.then((done) => {
        clearTimeout(cap)
        finish(done.every(Boolean))
      })
    }
  })
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
  process.exit(1)
})
