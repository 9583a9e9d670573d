/**
 * One load-generator process (forked by load.ts): a subset of the CS identities, each an mqtt.js
 * client over mutual TLS 1.3 keeping `window` QoS 1 publishes in flight. PUBACK latency goes into a
 * histogram; only PUBACKs inside the measuring window count. Reports to the parent over IPC.
 */
import mqtt from 'mqtt'
import { readFileSync } from 'node:fs'
import { Histogram } from './histogram.ts'
import { createPayloadSource } from '../payloads.ts'
import type { WorkerJob, WorkerReport } from './protocol.ts'

const job = JSON.parse(process.env.KEN_BENCH_JOB ?? '{}') as WorkerJob
const ca = readFileSync(job.caPath)
const hist = new Histogram()
let acked = 0
let sent = 0
let errors = 0
let received = 0
let measuring = false
let running = true
const clients: mqtt.MqttClient[] = []

function send (msg: WorkerReport): void {
  process.send?.(msg)
}

async function connect (identity: WorkerJob['identities'][number]): Promise<mqtt.MqttClient> {
  const client = mqtt.connect(job.brokerUrl, {
    clientId: identity.clientId,
    key: readFileSync(identity.keyPath),
    cert: readFileSync(identity.certPath),
    ca,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: 20_000,
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

function pump (client: mqtt.MqttClient, identity: WorkerJob['identities'][number], next: () => Uint8Array): void {
  let inflight = 0
  const topic = job.publishTopic.replace('{code}', identity.code)
  const fill = (): void => {
    while (running && inflight < job.window) {
      inflight++
      sent++
      const t0 = performance.now()
      client.publish(topic, Buffer.from(next()), { qos: 1 }, (err) => {
        inflight--
        if (err !== undefined && err !== null) errors++
        else if (measuring) {
          acked++
          hist.record(performance.now() - t0)
        }
        fill()
      })
    }
  }
  fill()
}

async function main (): Promise<void> {
  const sources = job.identities.map((id) => createPayloadSource(job.payloadKind, id.code, job.seed))
  for (const id of job.identities) clients.push(await connect(id))
  send({ type: 'ready' })
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'go') {
      job.identities.forEach((id, i) => {
        const src = sources[i]
        const client = clients[i]
        if (src !== undefined && client !== undefined) pump(client, id, src)
      })
      setTimeout(() => { measuring = true }, job.warmupMs)
      setTimeout(() => {
        measuring = false
        running = false
        send({ type: 'done', acked, sent, errors, received, histogram: hist.counts, seconds: job.durationMs / 1000 })
        setTimeout(() => {
          for (const c of clients) c.end(true)
          process.exit(0)
        }, 200)
      }, job.warmupMs + job.durationMs)
    }
  })
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
  process.exit(1)
})
