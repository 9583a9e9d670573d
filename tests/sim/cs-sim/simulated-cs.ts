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
import { decode, encode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus, type UpdateResult } from '../../../proto/src/types.ts'
import { record, type CsStats, type Expectation, type Mismatch } from './stats.ts'
import { ReceiptChecker, type ReceiptOptions } from './receipts.ts'

/** One update to send, and the result it must get when known. */
export interface SimEvent {
  readonly payload: Uint8Array
  readonly expect?: Expectation
  /** Part of a catch-up (the initial load): may travel with its neighbours in one …/update-batch PUBLISH. */
  readonly catchUp?: boolean
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
  /** Told the time from publish to PUBACK of every acknowledged PUBLISH, ms. */
  readonly onAck: (ms: number) => void
  /** Catch-up events go in batches of up to this many updates (batch.proto); 1 sends each alone. */
  readonly batchSize?: number
  /** Verify receipts of a sample of the accepted results (receipts.ts). */
  readonly receipts?: ReceiptOptions
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
  readonly #receipts: ReceiptChecker | undefined

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
    this.#receipts = opts.receipts === undefined ? undefined : new ReceiptChecker(code, opts.receipts)
    // Its link also carries a reconciliation's results (reconciling-cs.ts) and receipts, on their own topics.
    this.#client.on('message', (topic, payload) => {
      if (topic === this.#receipts?.topic) this.#receipts.onResponse(payload)
      else if (topic === topicFor('updateBatchResult', code)) this.#onBatchResult(payload)
      else if (topic === topicFor('result', code)) this.#onResult(payload)
    })
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
    const batchSize = this.#opts.batchSize ?? 1
    if (batchSize > 1) await this.#client.subscribeAsync(topicFor('updateBatchResult', this.code), { qos: 1 })
    if (this.#receipts !== undefined) await this.#client.subscribeAsync(this.#receipts.topic, { qos: 1 })
    const started = Date.now()
    const batch: SimEvent[] = []
    const source = (Symbol.asyncIterator in events ? events[Symbol.asyncIterator]() : events[Symbol.iterator]()) as AsyncIterator<SimEvent> | Iterator<SimEvent>
    for (;;) {
      // A catch-up batch waits for its neighbours only while they come: when the source pauses (it
      // may be waiting for the answers to this very batch), what is gathered goes now.
      let pulled = source.next()
      if (batch.length > 0 && pulled instanceof Promise) {
        const waited = await Promise.race([pulled, sleep(BATCH_WAIT_MS).then(() => undefined)])
        if (waited === undefined) {
          await this.#sendWhenWindowOpen(() => { this.#sendBatch(batch.splice(0)) })
        } else {
          pulled = waited
        }
      }
      const r = await pulled
      if (r.done === true) break
      const event = r.value
      if (this.#stopped || this.#failed !== undefined) break
      const due = started + ((this.#opts.stats.sent + batch.length) / this.#opts.ratePerSecond) * 1000
      if (due > Date.now()) await sleep(due - Date.now())
      if (batchSize > 1 && event.catchUp === true) {
        batch.push(event)
        if (batch.length < batchSize) continue
      }
      await this.#sendWhenWindowOpen(() => {
        // Order (SPEC §3): a waiting batch goes before the event that ends it.
        if (batch.length > 0) this.#sendBatch(batch.splice(0))
        if (event.catchUp !== true || batchSize <= 1) this.#send(event)
      })
    }
    if (batch.length > 0 && !this.#stopped) this.#sendBatch(batch.splice(0))
    await this.#answered()
    this.#opts.stats.missing += this.#outstanding
    await this.#receipts?.settled(this.#opts.resultTimeoutMs)
  }

  async #sendWhenWindowOpen (send: () => void): Promise<void> {
    while (this.#unacked >= this.#opts.window && !this.#stopped) await new Promise<void>((resolve) => { this.#windowOpen = resolve })
    send()
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
    this.#expect(event)
    this.#unacked++
    this.#publish(topicFor('update', this.code), event.payload, 1, performance.now())
  }

  /** Several catch-up updates in one PUBLISH (batch.proto): one PUBACK, a result per update. */
  #sendBatch (events: readonly SimEvent[]): void {
    for (const event of events) this.#expect(event)
    this.#unacked++
    this.#publish(topicFor('updateBatch', this.code), encode('UpdateBatch', { updates: events.map((e) => e.payload) }), events.length, performance.now())
  }

  /** Wait for the result of `event`, matched by its payload hash. */
  #expect (event: SimEvent): void {
    const hash = createHash('sha256').update(event.payload).digest('hex')
    const queue = this.#waiting.get(hash)
    const entry = { sequence: sequenceOf(event.payload), expect: event.expect }
    if (queue === undefined) this.#waiting.set(hash, [entry])
    else queue.push(entry)
    this.#outstanding++
    this.#opts.stats.sent++
  }

  /**
   * Publish until acknowledged, as a CS keeps an update until the server has it. mqtt.js redelivers
   * its outgoing store after a reconnect, but fails ("Connection closed") what was queued while a
   * redelivery was itself cut: those are published again, and the server answers DUPLICATE for any
   * it had already committed.
   */
  #publish (topic: string, payload: Uint8Array, updates: number, sentAt: number): void {
    this.#client.publish(topic, Buffer.from(payload), { qos: 1 }, (err) => {
      if (err !== undefined && err !== null && !this.#stopped) {
        this.#opts.stats.republished++
        setTimeout(() => { this.#publish(topic, payload, updates, sentAt) }, this.#opts.reconnectPeriodMs)
        return
      }
      this.#unacked--
      if (err === undefined || err === null) {
        this.#opts.stats.acked += updates
        this.#opts.onAck(performance.now() - sentAt)
      }
      const open = this.#windowOpen
      this.#windowOpen = undefined
      open?.()
    })
  }

  #onBatchResult (payload: Buffer): void {
    let results: UpdateResult[]
    try {
      results = decode('UpdateBatchResult', payload).results
    } catch {
      this.#opts.stats.unmatched++
      return
    }
    for (const result of results) this.#matchResult(result)
  }

  #onResult (payload: Buffer): void {
    let result: UpdateResult
    try {
      result = decode('UpdateResult', payload)
    } catch {
      this.#opts.stats.unmatched++
      return
    }
    this.#matchResult(result)
  }

  #matchResult (result: UpdateResult): void {
    const stats = this.#opts.stats
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
    if (result.status === ResultStatus.ACCEPTED) this.#receipts?.onAccepted(this.#client, result)
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

/** How long a gathered batch waits for the next catch-up event before it goes as it is, ms. */
const BATCH_WAIT_MS = 20

async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}
