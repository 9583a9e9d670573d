/**
 * The forwarding loop of ken-national (SPEC §5.1, 住基法30条の7 随時): read the outbox in log order,
 * publish each forward on the national link with at most `window` unacknowledged, and confirm to the
 * store what the national side acknowledged (after its own fsync). State that matters survives in the
 * store (the confirmed position) and at the national side (what it holds); everything here is
 * rebuilt after a restart of either end or of ken-national itself:
 *
 * - store gone (outbox closed): drop the queue, reconnect, read again from the confirmed position;
 * - national link gone: publish the whole queue again on the next link (the national side answers
 *   a position it holds as a duplicate, so nothing is held twice);
 * - ken-national restarted: the same as both.
 *
 * Order: forwards are published in queue order on one MQTT connection (QoS 1 keeps order on a
 * connection, MQTT 3.1.1 §4.6), and each names its predecessor, so the national side refuses a gap.
 */
import type { NationalAck, NationalSearchRequest, NationalSearchResponse } from '../../../proto/src/types.ts'
import type { OutboxForward } from './outbox-batch.ts'
import type { NationalLink } from './national-link.ts'
import type { OutboxClient } from './outbox-client.ts'
import type { NationalLogger } from './logger.ts'
import { errors } from './errors.ts'

export interface ForwarderOptions {
  readonly window: number
  /** Forwards per PUBLISH: 1 publishes each alone (…/forward, …/fuhyo/forward), more a NationalForwardBatch. */
  readonly batch: number
  readonly readWaitMs: number
  readonly reconnectMinMs: number
  readonly reconnectMaxMs: number
  readonly queryTimeoutMs: number
  /** Open the outbox socket (again). */
  readonly connectOutbox: () => Promise<OutboxClient>
  readonly clock?: () => number
}

/** The lag the metrics and the live view read (SPEC §7 "outbox lag"). No personal data. */
export interface NationalLag {
  /** The outbox socket and the national link are up. */
  readonly outboxConnected: boolean
  readonly linkUp: boolean
  /** The store's last log position seen, and the confirmed (durably forwarded) position. */
  readonly head: number
  readonly confirmed: number
  /** Highest position the national side acknowledged on this run. */
  readonly acknowledged: number
  /**
   * Positions not yet confirmed: the forwards read and not confirmed, plus the log positions not yet
   * read (an upper bound: some of those are rejections or acts, which are never forwarded). 0 when caught up.
   */
  readonly lagPositions: number
  /** Forwards read from the outbox and not yet confirmed. */
  readonly pendingForwards: number
  /** Age of the oldest of those, ms (0 when none). */
  readonly oldestAgeMs: number
  /** Forwards published and confirmed since start. */
  readonly published: number
  readonly forwarded: number
}

interface Pending {
  readonly position: number
  readonly recordedAtMs: number
  readonly item: OutboxForward
}

export class Forwarder {
  readonly #opts: ForwarderOptions
  readonly #link: NationalLink
  readonly #log: NationalLogger
  readonly #clock: () => number
  #outbox: OutboxClient | undefined
  /** Read and not yet acknowledged by the national side, in log order. */
  #queue: Pending[] = []
  /** How many of the queue went out on the current link. */
  #sent = 0
  /** Acknowledged, not yet confirmed to the store. */
  #acked: Pending[] = []
  #nextFrom = 0
  #head = 0
  #scannedTo = 0
  #confirmed = 0
  #acknowledged = 0
  #published = 0
  #forwarded = 0
  #peer = ''
  #confirming = false
  #running = false
  #wake: (() => void) | undefined
  readonly #queries = new Map<string, NodeJS.Timeout>()
  #loop: Promise<void> = Promise.resolve()

  constructor (link: NationalLink, log: NationalLogger, opts: ForwarderOptions) {
    this.#link = link
    this.#log = log
    this.#opts = opts
    this.#clock = opts.clock ?? Date.now
    link.on('up', (peer) => {
      this.#peer = peer
      this.#sent = 0
      this.#pump()
    })
    link.on('down', () => { this.#sent = 0 })
    link.on('ack', (ack) => this.#onAck(ack))
    link.on('answer', (answer) => this.#onAnswer(answer))
  }

  start (): void {
    this.#running = true
    this.#loop = this.#run()
  }

  async stop (): Promise<void> {
    this.#running = false
    this.#wake?.()
    this.#outbox?.close()
    for (const t of this.#queries.values()) clearTimeout(t)
    await this.#loop
  }

  lag (): NationalLag {
    const oldest = this.#acked[0] ?? this.#queue[0]
    return {
      outboxConnected: this.#outbox !== undefined && !this.#outbox.closed,
      linkUp: this.#link.up,
      head: this.#head,
      confirmed: this.#confirmed,
      acknowledged: this.#acknowledged,
      lagPositions: this.#queue.length + this.#acked.length + Math.max(0, this.#head - this.#scannedTo),
      pendingForwards: this.#queue.length + this.#acked.length,
      oldestAgeMs: oldest === undefined ? 0 : Math.max(0, this.#clock() - oldest.recordedAtMs),
      published: this.#published,
      forwarded: this.#forwarded
    }
  }

  async #run (): Promise<void> {
    let delay = this.#opts.reconnectMinMs
    while (this.#running) {
      try {
        const outbox = await this.#opts.connectOutbox()
        this.#attach(outbox)
        delay = this.#opts.reconnectMinMs
        await this.#readLoop(outbox)
      } catch (err) {
        if (!this.#running) break
        this.#log.warn('national.outbox.unavailable', { code: (err as { code?: string }).code ?? 'error' })
      }
      this.#detach()
      if (!this.#running) break
      await new Promise<void>((resolve) => { this.#wake = resolve; setTimeout(resolve, delay) })
      delay = Math.min(delay * 2, this.#opts.reconnectMaxMs)
    }
  }

  #attach (outbox: OutboxClient): void {
    this.#outbox = outbox
    this.#queue = []
    this.#acked = []
    this.#sent = 0
    this.#nextFrom = 0
    outbox.on('query', (request) => this.#onQuery(outbox, request))
    outbox.on('close', () => this.#wake?.())
    this.#log.info('national.outbox.connected', {})
  }

  #detach (): void {
    if (this.#outbox !== undefined) this.#log.info('national.outbox.disconnected', {})
    this.#outbox?.close()
    this.#outbox = undefined
  }

  async #readLoop (outbox: OutboxClient): Promise<void> {
    while (this.#running && !outbox.closed) {
      const room = this.#opts.window - this.#queue.length
      if (room <= 0) {
        await new Promise<void>((resolve) => { this.#wake = resolve })
        continue
      }
      const batch = await outbox.read(this.#nextFrom, room, this.#opts.readWaitMs)
      if (batch.errorCode !== '') throw errors.KEN_ERR_NATIONAL_OUTBOX_REFUSED(batch.errorCode)
      this.#head = batch.head
      if (this.#nextFrom === 0) this.#confirmed = batch.confirmed
      this.#nextFrom = batch.scannedTo + 1
      this.#scannedTo = batch.scannedTo
      for (const item of batch.items) this.#queue.push({ position: item.position, recordedAtMs: Date.parse(item.recordedAt), item })
      this.#pump()
    }
  }

  /**
   * Publish what the current link has not carried yet, in order: up to `batch` forwards per PUBLISH.
   * A batch is cut from the queue as it stands, so a load whose reads bring many forwards at once sends
   * full batches, and a single change goes at once, alone in its batch (SPEC §5.1 随時: no waiting to fill one).
   */
  #pump (): void {
    if (!this.#link.up) return
    const batch = this.#opts.batch
    while (this.#sent < this.#queue.length) {
      const items = this.#queue.slice(this.#sent, this.#sent + batch).map(({ item }) => item)
      if (batch === 1) this.#link.publishForward(items[0] as OutboxForward)
      else this.#link.publishForwardBatch(items)
      this.#sent += items.length
      this.#published += items.length
    }
  }

  #onAck (ack: NationalAck): void {
    this.#acknowledged = Math.max(this.#acknowledged, ack.logPosition)
    let n = 0
    while (n < this.#queue.length && (this.#queue[n]?.position ?? Infinity) <= ack.logPosition) n++
    if (n > 0) {
      this.#acked.push(...this.#queue.splice(0, n))
      this.#sent = Math.max(0, this.#sent - n)
      this.#wake?.()
      void this.#confirm()
    }
    if (ack.reasonCode !== '') {
      // A refused forward: the national side holds up to ack.logPosition; everything after it goes again, in order.
      this.#log.warn('national.forward.refused', { reason: ack.reasonCode, held: ack.logPosition })
      this.#sent = 0
      this.#pump()
    }
  }

  /** One confirm in flight at a time; acks that arrive meanwhile are confirmed together (one act per batch). */
  async #confirm (): Promise<void> {
    if (this.#confirming) return
    this.#confirming = true
    try {
      while (this.#acked.length > 0 && this.#outbox !== undefined && !this.#outbox.closed) {
        const outbox = this.#outbox
        const last = this.#acked[this.#acked.length - 1] as Pending
        const count = this.#acked.length
        const answer = await outbox.confirm(last.position, this.#peer)
        if (answer.errorCode !== '') {
          this.#log.warn('national.confirm.refused', { code: answer.errorCode, position: last.position })
          outbox.close()
          break
        }
        this.#confirmed = answer.confirmed
        this.#acked = this.#acked.filter((p) => p.position > answer.confirmed)
        this.#forwarded += count
        this.#log.info('national.forward.confirmed', { to: last.position, count, act: answer.actPosition })
      }
    } catch (err) {
      this.#log.warn('national.confirm.failed', { code: (err as { code?: string }).code ?? 'error' })
    } finally {
      this.#confirming = false
    }
  }

  #onQuery (outbox: OutboxClient, request: NationalSearchRequest): void {
    if (!this.#link.up) {
      outbox.answer({ queryId: request.queryId, records: [], reasonCode: errors.KEN_ERR_NATIONAL_LINK_DOWN.code })
      return
    }
    this.#queries.set(request.queryId, setTimeout(() => {
      this.#queries.delete(request.queryId)
      outbox.answer({ queryId: request.queryId, records: [], reasonCode: errors.KEN_ERR_NATIONAL_QUERY_TIMEOUT.code })
    }, this.#opts.queryTimeoutMs))
    this.#link.publishQuery(request)
    this.#log.info('national.query.sent', {})
  }

  #onAnswer (answer: NationalSearchResponse): void {
    const timer = this.#queries.get(answer.queryId)
    if (timer === undefined) return
    clearTimeout(timer)
    this.#queries.delete(answer.queryId)
    this.#outbox?.answer(answer)
    this.#log.info('national.query.answered', { records: answer.records.length })
  }
}
