/**
 * One simulated 市町村CS: an mqtt.js client over mutual TLS 1.3 with its own certificate, its client
 * id derived from it (`cs-401307`), a persistent session (clean: false) so its result subscription and
 * unacknowledged updates survive a reconnect — mqtt.js redelivers those from its outgoing store and
 * the server answers DUPLICATE for what it had already committed. It publishes its events at QoS 1 at
 * a steady rate with at most `window` unacknowledged, and checks every result against its event,
 * matched by the SHA-256 of the payload (which the server echoes even when it could not decode it).
 */
import { createHash } from 'node:crypto'
import mqtt, { type MqttClient } from 'mqtt'
import { decode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus, type UpdateResult } from '../../../proto/src/types.ts'
import { record, type CsStats, type Expectation, type Mismatch } from './stats.ts'

/** One update to send, and the result it must get when known. */
export interface SimEvent {
  readonly payload: Uint8Array
  readonly expect?: Expectation
}

export interface SimulatedCsOptions {
  readonly brokerUrl: string
  readonly ca: string | Buffer
  readonly cert: string | Buffer
  readonly key: string | Buffer
  /** Updates per second this CS sends. */
  readonly ratePerSecond: number
  /** Published and not yet acknowledged, at most. */
  readonly window: number
  /** After the last event, how long to wait for the outstanding results. */
  readonly resultTimeoutMs: number
  readonly reconnectPeriodMs: number
  readonly stats: CsStats
  readonly onMismatch: (m: Mismatch) => void
  /** Told the time from publish to PUBACK of every acknowledged update, ms. */
  readonly onAck: (ms: number) => void
}

interface InFlight {
  readonly sequence: number
  readonly expect: Expectation | undefined
}

export class SimulatedCs {
  readonly code: string
  readonly #opts: SimulatedCsOptions
  readonly #client: MqttClient
  /** Sent and unanswered, by payload hash (identical payloads queue up in order). */
  readonly #waiting = new Map<string, InFlight[]>()
  #outstanding = 0
  #unacked = 0
  #windowOpen: (() => void) | undefined
  #allAnswered: (() => void) | undefined
  #stopped = false
  #failed: Error | undefined

  constructor (code: string, opts: SimulatedCsOptions) {
    this.code = code
    this.#opts = opts
    this.#client = mqtt.connect(opts.brokerUrl, {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      clientId: `cs-${code}`,
      protocolVersion: 4,
      clean: false,
      keepalive: 30,
      reconnectPeriod: opts.reconnectPeriodMs,
      connectTimeout: 10_000,
      rejectUnauthorized: true
    })
    // Its link also carries a reconciliation's results (reconciling-cs.ts), on their own topic.
    this.#client.on('message', (topic, payload) => { if (topic === topicFor('result', code)) this.#onResult(payload) })
    this.#client.on('reconnect', () => { opts.stats.reconnects++ })
    this.#client.on('error', (err: Error & { code?: unknown }) => {
      opts.stats.errors++
      // A CONNACK refusal is final (mqtt.js does not retry it): stop waiting for this CS.
      if (typeof err.code === 'number') this.#fail(err)
    })
  }

  /** Connect, subscribe to the result topic, send every event, and wait for the results. */
  async run (events: AsyncIterable<SimEvent> | Iterable<SimEvent>): Promise<void> {
    try {
      await this.#connected()
    } catch (err) {
      this.#opts.stats.failed = 1
      throw err
    }
    await this.#client.subscribeAsync(topicFor('result', this.code), { qos: 1 })
    const started = Date.now()
    for await (const event of events) {
      if (this.#stopped || this.#failed !== undefined) break
      const due = started + (this.#opts.stats.sent / this.#opts.ratePerSecond) * 1000
      if (due > Date.now()) await sleep(due - Date.now())
      while (this.#unacked >= this.#opts.window && !this.#stopped) await new Promise<void>((resolve) => { this.#windowOpen = resolve })
      this.#send(event)
    }
    await this.#answered()
    this.#opts.stats.missing += this.#outstanding
  }

  /** The CS's link, for a reconciliation over it (one link per CS: its client id is the certificate's). */
  get link (): MqttClient {
    return this.#client
  }

  /** Cut the network connection (a line failure): mqtt.js reconnects and redelivers. */
  drop (): void {
    this.#client.stream?.destroy()
  }

  async stop (): Promise<void> {
    this.#stopped = true
    this.#windowOpen?.()
    this.#allAnswered?.()
    await this.#client.endAsync(true)
  }

  #send (event: SimEvent): void {
    const hash = createHash('sha256').update(event.payload).digest('hex')
    const queue = this.#waiting.get(hash)
    const entry = { sequence: sequenceOf(event.payload), expect: event.expect }
    if (queue === undefined) this.#waiting.set(hash, [entry])
    else queue.push(entry)
    this.#outstanding++
    this.#unacked++
    this.#opts.stats.sent++
    this.#publish(event.payload, performance.now())
  }

  /**
   * Publish until acknowledged, as a CS keeps an update until the server has it. mqtt.js redelivers
   * its outgoing store after a reconnect, but fails ("Connection closed") what was queued while a
   * redelivery was itself cut: those are published again, and the server answers DUPLICATE for any
   * it had already committed.
   */
  #publish (payload: Uint8Array, sentAt: number): void {
    this.#client.publish(topicFor('update', this.code), Buffer.from(payload), { qos: 1 }, (err) => {
      if (err !== undefined && err !== null && !this.#stopped) {
        this.#opts.stats.republished++
        setTimeout(() => { this.#publish(payload, sentAt) }, this.#opts.reconnectPeriodMs)
        return
      }
      this.#unacked--
      if (err === undefined || err === null) {
        this.#opts.stats.acked++
        this.#opts.onAck(performance.now() - sentAt)
      }
      const open = this.#windowOpen
      this.#windowOpen = undefined
      open?.()
    })
  }

  #onResult (payload: Buffer): void {
    const stats = this.#opts.stats
    let result: UpdateResult
    try {
      result = decode('UpdateResult', payload)
    } catch {
      stats.unmatched++
      return
    }
    const hash = Buffer.from(result.payloadSha256).toString('hex')
    const queue = this.#waiting.get(hash)
    const entry = queue?.shift()
    if (queue !== undefined && queue.length === 0) this.#waiting.delete(hash)
    if (entry === undefined) {
      // A redelivered update answered twice (both results arrived): count it, it matches nothing.
      if (result.status === ResultStatus.DUPLICATE) stats.duplicate++
      else stats.unmatched++
      return
    }
    const m = record(stats, this.code, result, entry.sequence, entry.expect)
    if (m !== undefined) this.#opts.onMismatch(m)
    this.#outstanding--
    if (this.#outstanding === 0) this.#allAnswered?.()
  }

  /** The first CONNACK; rejects on a refusal, or when none came within resultTimeoutMs. */
  async #connected (): Promise<void> {
    if (this.#client.connected) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`cs-${this.code}: not connected within ${this.#opts.resultTimeoutMs} ms`)) }, this.#opts.resultTimeoutMs)
      this.#client.once('connect', () => { clearTimeout(timer); resolve() })
      this.#client.on('error', (err: Error & { code?: unknown }) => { if (typeof err.code === 'number') { clearTimeout(timer); reject(err) } })
    })
  }

  async #answered (): Promise<void> {
    if (this.#outstanding === 0 || this.#stopped || this.#failed !== undefined) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#opts.resultTimeoutMs)
      this.#allAnswered = () => { clearTimeout(timer); resolve() }
    })
  }

  #fail (err: Error): void {
    this.#failed = err
    this.#windowOpen?.()
    this.#allAnswered?.()
  }
}

/** The 更新順番号 the server will echo: the update's, or 0 when it cannot be decoded. */
function sequenceOf (payload: Uint8Array): number {
  try {
    return decode('Update', payload).sequence
  } catch {
    return 0
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}
