/**
 * Micro-batching of appends: the updates of all CS that arrive within one turn of the event loop go
 * to the store as one AppendRequest, so one group commit (one fsync) serves many links (SPEC §4, §8).
 *
 * Order (SPEC §3: "no asynchronous step in the gateway or store may reorder them"): items leave in
 * arrival order, and a CS has at most one AppendRequest in flight — its next items wait for the
 * answer. So if the store fails a request, nothing later of that CS has been sent; those items are
 * failed too (no PUBACK, the CS redelivers from the first unacknowledged one), and no update of a CS
 * can ever be committed after a later one of the same CS.
 */
import type { EncodedUpdateResult } from '../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../server/src/store/append-request.ts'

export interface AppendSink {
  append: (items: OutgoingAppendItem[]) => Promise<EncodedUpdateResult[]>
}

export interface BatcherOptions {
  readonly maxBatchItems: number
  readonly maxAppendsInFlight: number
  /** Told about every AppendRequest: its size and whether the store committed it. */
  readonly onBatch?: (items: number, ok: boolean, err?: unknown) => void
}

interface Pending {
  readonly item: OutgoingAppendItem
  readonly resolve: (r: EncodedUpdateResult) => void
  readonly reject: (err: unknown) => void
}

export class AppendBatcher {
  readonly #sink: AppendSink
  readonly #max: number
  readonly #maxInFlight: number
  readonly #onBatch: NonNullable<BatcherOptions['onBatch']>
  #queue: Pending[] = []
  /** Municipalities with an AppendRequest in flight. */
  readonly #busy = new Set<string>()
  #inFlight = 0
  #scheduled = false

  constructor (sink: AppendSink, opts: BatcherOptions) {
    this.#sink = sink
    this.#max = opts.maxBatchItems
    this.#maxInFlight = opts.maxAppendsInFlight
    this.#onBatch = opts.onBatch ?? (() => {})
  }

  /** Items waiting for their turn (not yet sent to the store). */
  get queued (): number {
    return this.#queue.length
  }

  /** Queue `item`; resolves with its result once the store has committed it. */
  append (item: OutgoingAppendItem): Promise<EncodedUpdateResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject })
      this.#schedule()
    })
  }

  #schedule (): void {
    if (this.#scheduled) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#flush()
    })
  }

  #flush (): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch: Pending[] = []
      const rest: Pending[] = []
      for (const p of this.#queue) {
        if (batch.length < this.#max && !this.#busy.has(p.item.municipalityCode)) batch.push(p)
        else rest.push(p)
      }
      if (batch.length === 0) return
      this.#queue = rest
      this.#send(batch)
    }
  }

  #send (batch: Pending[]): void {
    const keys = new Set(batch.map((p) => p.item.municipalityCode))
    for (const k of keys) this.#busy.add(k)
    this.#inFlight++
    this.#sink.append(batch.map((p) => p.item)).then((results) => {
      // The next request of these CS leaves before this one's results are handed out, so the store
      // plans it while this process writes the PUBACKs and result messages (issue 18: with one link
      // sending, the store's main thread sat idle ~22 % of the load waiting for that; bench/results/
      // 2026-12-01-session16-idle11-ab.txt). Still one request per CS in flight: this one is committed.
      this.#release(keys)
      this.#flush()
      this.#onBatch(batch.length, true)
      batch.forEach((p, i) => { p.resolve(results[i] as EncodedUpdateResult) })
    }, (err: unknown) => {
      this.#onBatch(batch.length, false, err)
      for (const p of batch) p.reject(err)
      // What a failed CS queued after the failed request must not overtake it.
      const rest: Pending[] = []
      for (const p of this.#queue) {
        if (keys.has(p.item.municipalityCode)) p.reject(err)
        else rest.push(p)
      }
      this.#queue = rest
      this.#release(keys)
      this.#schedule()
    })
  }

  #release (keys: ReadonlySet<string>): void {
    this.#inFlight--
    for (const k of keys) this.#busy.delete(k)
  }
}
