/**
 * MQTT over mutual TLS for the gateway tests: a CS client (mqtt.js, MQTT 3.1.1, no auto reconnect
 * unless asked) and a raw TLS socket for what mqtt.js will not send.
 */
import tls from 'node:tls'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { decode } from '../../../../proto/src/codec.ts'
import type { UpdateResult } from '../../../../proto/src/types.ts'
import type { Credential } from './pki.ts'

/** Connect as a CS; resolves on CONNACK 0, rejects on a refusal or a transport error. */
export async function connectCs (port: number, ca: string, cred: Credential, clientId: string, extra: IClientOptions = {}): Promise<MqttClient> {
  return await mqtt.connectAsync(`mqtts://127.0.0.1:${port}`, {
    ca,
    cert: cred.cert,
    key: cred.key,
    clientId,
    protocolVersion: 4,
    keepalive: 30,
    reconnectPeriod: 0,
    connectTimeout: 5000,
    rejectUnauthorized: true,
    ...extra
  })
}

/** Results arriving on a client, decoded, with a way to wait for a number of them. */
export class ResultInbox {
  readonly results: UpdateResult[] = []
  #waiters: Array<{ n: number, resolve: () => void }> = []

  constructor (client: MqttClient) {
    client.on('message', (topic, payload) => {
      if (!topic.endsWith('/result') || topic.endsWith('/reconcile/result') || topic.endsWith('/update-batch/result')) return
      this.results.push(decode('UpdateResult', payload))
      this.#waiters = this.#waiters.filter((w) => {
        if (this.results.length < w.n) return true
        w.resolve()
        return false
      })
    })
  }

  /** Resolve once `n` results in all have arrived; reject after `ms`. */
  async waitFor (n: number, ms = 10_000): Promise<UpdateResult[]> {
    if (this.results.length < n) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error(`${this.results.length} of ${n} results after ${ms} ms`)) }, ms)
        this.#waiters.push({ n, resolve: () => { clearTimeout(timer); resolve() } })
      })
    }
    return this.results
  }
}

/** A raw TLS connection as a CS (for hand-made MQTT bytes); resolves once TLS is up. */
export async function rawTls (port: number, ca: string, cred: Credential): Promise<tls.TLSSocket> {
  const socket = tls.connect({ host: '127.0.0.1', port, ca, cert: cred.cert, key: cred.key })
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve)
    socket.once('error', reject)
  })
  return socket
}

/** What a raw socket receives until it closes (or `ms` pass), and whether it closed. */
export async function drain (socket: tls.TLSSocket | import('node:net').Socket, ms: number): Promise<{ bytes: Buffer, closed: boolean }> {
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  socket.on('error', () => {})
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { resolve(false) }, ms)
    socket.once('close', () => { clearTimeout(timer); resolve(true) })
  })
  return { bytes: Buffer.concat(chunks), closed }
}

/** MQTT 3.1.1 packets built by hand (§3.1 CONNECT, §3.3 PUBLISH). */
export const raw = {
  connect (clientId: string, opts: { keepalive?: number, will?: boolean } = {}): Buffer {
    const str = (s: string): Buffer => { const b = Buffer.from(s); return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]) }
    const flags = 0x02 | (opts.will === true ? 0x04 | 0x08 : 0)
    const keepalive = opts.keepalive ?? 30
    const body = Buffer.concat([
      str('MQTT'), Buffer.from([4, flags, keepalive >> 8, keepalive & 0xff]), str(clientId),
      ...(opts.will === true ? [str(`ken/v1/cs/${clientId.slice(3)}/update`), str('bye')] : [])
    ])
    return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body])
  },
  /** A PUBLISH header announcing `payloadLength` bytes of payload (the payload not included). */
  publishHeader (topic: string, payloadLength: number, qos = 1, messageId = 1): Buffer {
    const t = Buffer.from(topic)
    const variable = Buffer.concat([Buffer.from([t.length >> 8, t.length & 0xff]), t, qos > 0 ? Buffer.from([messageId >> 8, messageId & 0xff]) : Buffer.alloc(0)])
    return Buffer.concat([Buffer.from([0x30 | (qos << 1)]), remainingLength(variable.length + payloadLength), variable])
  }
}

function remainingLength (n: number): Buffer {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return Buffer.from(out)
}
