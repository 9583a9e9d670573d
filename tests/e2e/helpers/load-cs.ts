/**
 * A CS under load for the crash test, built like the simulator's (mqtt.js over mutual TLS, its own
 * certificate, client id `cs-{code}`, persistent session, QoS 1, a window of unacknowledged
 * publishes) but recording exactly which updates got a PUBACK — the promise the gateway makes
 * (SPEC §3: a PUBACK only once the update is durably committed). Publishes go out only while the
 * link is up and mqtt.js has finished redelivering its outgoing store; what mqtt.js still holds
 * when a link drops it redelivers itself on the next connection; a publish it reports as failed
 * without having stored it is sent again.
 */
import mqtt, { type MqttClient } from 'mqtt'
import { decode, encode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus, type Update } from '../../../proto/src/types.ts'
import type { Credential } from './appliance.ts'

export interface Acked {
  readonly sequence: number
  readonly juminhyoCode: string
}

export class LoadCs {
  readonly code: string
  /** Every update whose PUBACK this CS saw, by 更新順番号. */
  readonly acked = new Map<number, Acked>()
  /** Results received, by status; REJECTED results by reason code. */
  readonly results = { accepted: 0, duplicate: 0, rejected: new Map<string, number>() }
  /** Updates handed to mqtt.js (first sends; redeliveries are mqtt.js's own). */
  sent = 0
  connects = 0
  readonly #client: MqttClient
  readonly #updates: Iterator<Update, void>
  readonly #retry: Update[] = []
  readonly #window: number
  #inflight = 0
  #ready = false
  #sending = true

  constructor (code: string, opts: { url: string, ca: string, cred: Credential, updates: Iterable<Update, void>, window: number }) {
    this.code = code
    this.#updates = opts.updates[Symbol.iterator]()
    this.#window = opts.window
    this.#client = mqtt.connect(opts.url, {
      ca: opts.ca,
      cert: opts.cred.cert,
      key: opts.cred.key,
      clientId: `cs-${code}`,
      protocolVersion: 4,
      clean: false,
      keepalive: 30,
      reconnectPeriod: 100,
      connectTimeout: 10_000,
      rejectUnauthorized: true
    })
    this.#client.on('error', () => {}) // refused links while a daemon is down; mqtt.js reconnects
    this.#client.on('close', () => { this.#ready = false })
    // 'connect' comes once mqtt.js has redelivered what it held from the previous link.
    this.#client.on('connect', () => {
      // mqtt.js subscribes again by itself whenever the gateway had no session left (restarted).
      if (++this.connects === 1) this.#client.subscribe(topicFor('result', code), { qos: 1 })
      this.#ready = true
      this.#pump()
    })
    this.#client.on('message', (_topic, payload) => {
      const r = decode('UpdateResult', payload)
      if (r.status === ResultStatus.ACCEPTED) this.results.accepted++
      else if (r.status === ResultStatus.DUPLICATE) this.results.duplicate++
      else this.results.rejected.set(r.reasonCode, (this.results.rejected.get(r.reasonCode) ?? 0) + 1)
    })
  }

  /** Published and not yet acknowledged. */
  get inflight (): number {
    return this.#inflight + this.#retry.length
  }

  /** Send nothing new from now on (what is in flight still completes). */
  stopSending (): void {
    this.#sending = false
  }

  async end (): Promise<void> {
    this.#sending = false
    await this.#client.endAsync(true)
  }

  #pump (): void {
    while (this.#ready && this.#client.connected && this.#inflight < this.#window) {
      const again = this.#retry.shift()
      const update = again ?? (this.#sending ? this.#updates.next().value : undefined)
      if (update === undefined) return
      if (again === undefined) this.sent++
      this.#publish(update)
    }
  }

  #publish (update: Update): void {
    this.#inflight++
    this.#client.publish(topicFor('update', this.code), Buffer.from(encode('Update', update)), { qos: 1 }, (err) => {
      this.#inflight--
      if (err === undefined || err === null) {
        this.acked.set(update.sequence, { sequence: update.sequence, juminhyoCode: update.identity?.juminhyoCode ?? '' })
      } else {
        this.#retry.push(update)
      }
      this.#pump()
    })
  }
}
