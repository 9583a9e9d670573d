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
import type { BenchIdentity, LinkFinish, WorkerJob, WorkerReport } from './protocol.ts'

const job = JSON.parse(process.env.KEN_BENCH_JOB ?? '{}') as WorkerJob
const ca = readFileSync(job.caPath)
const hist = new Histogram()
let acked = 0
let sent = 0
let errors = 0
let received = 0
let measuring = job.mode === 'exhaust'
let running = true
let started = 0
let cpuAtStart = 0
const ackedPerSecond: number[] = []
const links: LinkFinish[] = []

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
  client.on('error', () => { errors++ })
  client.on('message', () => { if (measuring) received++ })
  await client.subscribeAsync(job.subscribeTopic.replace('{code}', identity.code), { qos: 1 })
  return client
}

/** Publish `payloads` with at most `window` in flight; resolves when all are acknowledged or stopped. */
async function pump (client: mqtt.MqttClient, identity: BenchIdentity, updates: Buffer[]): Promise<boolean> {
  const topic = job.publishTopic.replace('{code}', identity.code)
  const { payloads, counts } = batched(updates, job.batch ?? 1)
  let next = 0
  let inflight = 0
  let mine = 0
  let last = 0
  return await new Promise<boolean>((resolve) => {
    const fill = (): void => {
      while (running && inflight < job.window && next < payloads.length) {
        const index = next
        const payload = payloads[next++] as Buffer
        inflight++
        sent++
        const t0 = performance.now()
        client.publish(topic, payload, { qos: 1 }, (err) => {
          inflight--
          if (err !== undefined && err !== null) errors++
          else if (measuring) {
            const now = performance.now()
            const n = counts[index] ?? 1
            acked += n
            mine += n
            last = now
            hist.record(now - t0)
            const second = Math.floor((now - started) / 1000)
            ackedPerSecond[second] = (ackedPerSecond[second] ?? 0) + n
          }
          fill()
        })
      }
      if (inflight === 0 && (!running || next >= payloads.length)) {
        links.push({ code: identity.code, updates: mine, seconds: Math.max(0, (last - started) / 1000) })
        resolve(next >= payloads.length)
      }
    }
    fill()
  })
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
  const seconds = job.mode === 'exhaust' ? (performance.now() - started) / 1000 : job.durationMs / 1000
  const cpu = process.cpuUsage()
  // Seconds no PUBACK fell into are holes in the array: make them zeros for JSON.
  send({ type: 'done', acked, sent, errors, received, histogram: hist.counts, seconds, exhausted, ackedPerSecond: Array.from(ackedPerSecond, (c) => c ?? 0), links, cpuMicros: cpu.user + cpu.system - cpuAtStart })
  setTimeout(() => process.exit(0), 200)
}

async function main (): Promise<void> {
  const payloads = job.identities.map((id) => readPayloadFile(id.payloadFile))
  const clients: mqtt.MqttClient[] = []
  for (const id of job.identities) clients.push(await connect(id))
  send({ type: 'ready' })
  process.on('message', (msg: { type: string }) => {
    if (msg.type !== 'go') return
    started = performance.now()
    const cpu = process.cpuUsage()
    cpuAtStart = cpu.user + cpu.system
    const all = Promise.all(job.identities.map(async (id, i) => await pump(clients[i] as mqtt.MqttClient, id, payloads[i] ?? [])))
    if (job.mode === 'duration') {
      setTimeout(() => { measuring = true }, job.warmupMs)
      setTimeout(() => {
        measuring = false
        running = false
        finish(false)
      }, job.warmupMs + job.durationMs)
    } else {
      const cap = setTimeout(() => { running = false }, job.durationMs)
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
