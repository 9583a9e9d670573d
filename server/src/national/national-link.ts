/**
 * The MQTT link to the national server (SPEC §5.1: MQTT QoS 1 with the appliance as client) over TLS
 * 1.3 with mutual authentication: ken-national presents its own client certificate and accepts only a
 * server certificate that chains to the national CA it was configured with, for the host it dialled.
 * A server that fails that (wrong CA, expired, no TLS at all) is never sent anything: forwards and
 * queries are published only after CONNACK on an authenticated link, and the refusal is logged.
 * Reconnects with a doubling back-off; every (re)connection starts a clean session, so whatever was
 * in flight is sent again by the forwarder and deduplicated by position on the national side.
 */
import { EventEmitter } from 'node:events'
import type { ConnectionOptions, TLSSocket } from 'node:tls'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import { decode, encode } from '../../../proto/src/codec.ts'
import { nationalTopic, parseNationalTopic } from '../../../proto/src/national-topics.ts'
import type { NationalAck, NationalSearchRequest, NationalSearchResponse } from '../../../proto/src/types.ts'
import { encodeNationalForwardBatch, type OutboxForward } from './outbox-batch.ts'
import type { NationalLogger } from './logger.ts'
import { errors } from './errors.ts'

export interface NationalLinkOptions {
  readonly url: string
  readonly prefectureCode: string
  readonly ca: Buffer
  readonly cert: Buffer
  readonly key: Buffer
  readonly reconnectMinMs: number
  readonly reconnectMaxMs: number
  readonly connectTimeoutMs: number
  readonly keepaliveSeconds: number
}

/** ken-national's client credential and the national CA it trusts (PEM). */
export interface NationalCredential {
  readonly ca: Buffer
  readonly cert: Buffer
  readonly key: Buffer
}

export interface NationalLinkEvents {
  /** Authenticated and subscribed; `peer` names the national server's certificate (no personal data). */
  up: [peer: string]
  down: []
  ack: [NationalAck]
  answer: [NationalSearchResponse]
}

export class NationalLink extends EventEmitter<NationalLinkEvents> {
  readonly #opts: NationalLinkOptions
  readonly #log: NationalLogger
  #credential: NationalCredential
  #client: MqttClient | undefined
  #delay: number
  #timer: NodeJS.Timeout | undefined
  #up = false
  #stopped = false
  #attempts = 0

  constructor (opts: NationalLinkOptions, log: NationalLogger) {
    super()
    this.#opts = opts
    this.#credential = { ca: opts.ca, cert: opts.cert, key: opts.key }
    this.#log = log
    this.#delay = opts.reconnectMinMs
  }

  get up (): boolean {
    return this.#up
  }

  start (): void {
    this.#connect()
  }

  /**
   * New credential and/or CA bundle for the next (re)connection (SPEC §7, rotation without restart):
   * the link up now is not dropped — it was authenticated with what was in force when it began.
   */
  rotate (next: Partial<NationalCredential>): void {
    this.#credential = { ...this.#credential, ...next }
    this.#log.info('national.tls.rotated', { reason: Object.keys(next).join(','), linkUp: this.#up })
  }

  /** One forward alone (…/forward or …/fuhyo/forward), its bytes as the store encoded them (outbox-batch.ts). */
  publishForward (forward: OutboxForward): void {
    this.#publish(nationalTopic(forward.kind === 'identity' ? 'forward' : 'fuhyoForward', this.#opts.prefectureCode), forward.bytes)
  }

  /** Several forwards, in log order, in one PUBLISH (NationalForwardBatch, national.proto). */
  publishForwardBatch (items: readonly OutboxForward[]): void {
    this.#publish(nationalTopic('forwardBatch', this.#opts.prefectureCode), encodeNationalForwardBatch(items))
  }

  publishQuery (request: NationalSearchRequest): void {
    this.#publish(nationalTopic('query', this.#opts.prefectureCode), encode('NationalSearchRequest', request))
  }

  async stop (): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    const client = this.#client
    if (client !== undefined) await new Promise<void>((resolve) => client.end(true, {}, () => resolve()))
  }

  #publish (topic: string, bytes: Uint8Array): void {
    // Only on an authenticated link: before CONNACK nothing leaves (B1.2 認証できない相手先への情報の提供がされない).
    if (!this.#up || this.#client === undefined) return
    // A Buffer goes as it is (a forward's bytes, a batch written for this PUBLISH: neither is written to again).
    this.#client.publish(topic, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), { qos: 1 }, () => undefined)
  }

  #connect (): void {
    if (this.#stopped) return
    this.#attempts++
    const o = this.#opts
    const credential = this.#credential
    // mqtt.js hands its options to tls.connect (lib/connect/tls.js); its types omit the version bounds.
    const tlsBounds: Pick<ConnectionOptions, 'minVersion' | 'maxVersion'> = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' }
    const client = mqtt.connect(o.url, {
      ...(tlsBounds as IClientOptions),
      ca: credential.ca,
      cert: credential.cert,
      key: credential.key,
      rejectUnauthorized: true,
      protocolVersion: 4,
      clientId: `ken-national-${o.prefectureCode}`,
      clean: true,
      keepalive: o.keepaliveSeconds,
      reconnectPeriod: 0,
      connectTimeout: o.connectTimeoutMs
    })
    this.#client = client
    let refusalLogged = false
    client.on('error', (err: Error & { code?: string | number }) => {
      if (refusalLogged) return
      refusalLogged = true
      // Handshake failures (unknown CA, expired, hostname, no TLS) and CONNACK refusals alike: nothing was sent.
      this.#log.warn('national.link.refused', { code: errors.KEN_ERR_NATIONAL_PEER_REFUSED.code, reason: String(err.code ?? err.message).slice(0, 80), attempt: this.#attempts })
    })
    client.on('connect', () => {
      const prefecture = o.prefectureCode
      client.subscribe([nationalTopic('ack', prefecture), nationalTopic('queryResult', prefecture)], { qos: 1 }, (err) => {
        if (err !== null && err !== undefined) {
          this.#log.warn('national.link.subscribe_failed', { reason: err.message.slice(0, 80) })
          client.end(true)
          return
        }
        this.#up = true
        this.#delay = o.reconnectMinMs
        const peer = peerName(client)
        this.#log.info('national.link.up', { peer })
        this.emit('up', peer)
      })
    })
    client.on('message', (topic, payload) => {
      const parsed = parseNationalTopic(topic)
      try {
        if (parsed?.kind === 'ack') this.emit('ack', decode('NationalAck', payload))
        else if (parsed?.kind === 'queryResult') this.emit('answer', decode('NationalSearchResponse', payload))
      } catch {
        this.#log.warn('national.link.bad_message', { topic: parsed?.kind ?? 'unknown' })
      }
    })
    client.on('close', () => {
      if (this.#client !== client) return
      client.removeAllListeners('close')
      client.end(true)
      if (this.#up) {
        this.#up = false
        this.#log.info('national.link.down', {})
        this.emit('down')
      }
      if (this.#stopped) return
      this.#timer = setTimeout(() => this.#connect(), this.#delay)
      this.#delay = Math.min(this.#delay * 2, o.reconnectMaxMs)
    })
  }
}

/** CN and serial of the national server's certificate: what the transmission record names as the peer. */
function peerName (client: MqttClient): string {
  const stream = client.stream as Partial<TLSSocket>
  const cert = typeof stream.getPeerCertificate === 'function' ? stream.getPeerCertificate() : undefined
  if (cert === undefined || cert === null) return 'unknown'
  const cn = cert.subject?.CN
  return `CN=${Array.isArray(cn) ? cn.join(',') : String(cn ?? '')} serial=${cert.serialNumber ?? ''}`.slice(0, 200)
}
