/**
 * Resident data keys made ahead of need (SPEC §8 initial load: every new resident needs one). A key
 * costs two random draws and an AES-GCM wrap; a worker thread makes them in batches while the
 * store's thread plans, and the planner takes a ready key from the pool — or, when the pool is dry
 * (start-up, a burst), makes one itself. A key is handed out once, and the pool's copy is wiped.
 * The worker holds only the key-wrap key, in this same process (SPEC §4 keys never leave it).
 */
import type { Worker } from 'node:worker_threads'
import { makeDataKey, ownKey, takeDataKeyAt, type NewDataKey, DATA_KEY_RECORD_BYTES } from './data-key.ts'
import { HELPER_WORKER_LIMITS, startTsWorker } from './ts-worker.ts'

export interface KeyFactoryOptions {
  /** Keys per batch the worker makes (default 1024). */
  readonly batch?: number
  /** Ready batches kept (default 2): a new one is asked for when fewer remain. */
  readonly batches?: number
}

export class KeyFactory {
  readonly #wrapKey: Buffer
  readonly #batch: number
  readonly #batches: number
  readonly #ready: Buffer[] = []
  #next = 0
  #asked = 0
  #worker: Worker | undefined
  #closed = false

  constructor (wrapKey: Uint8Array, options: KeyFactoryOptions = {}) {
    this.#wrapKey = Buffer.from(wrapKey)
    this.#batch = options.batch ?? 1024
    this.#batches = options.batches ?? 2
  }

  /** Start the worker and ask for the first batches. */
  start (): void {
    if (this.#worker !== undefined || this.#closed) return
    const worker = startTsWorker(new URL('./key-factory-worker.ts', import.meta.url), this.#wrapKey, { loader: 'require', resourceLimits: HELPER_WORKER_LIMITS, threadName: 'ken-keys' })
    worker.on('message', (batch: Uint8Array) => {
      this.#asked--
      const keys = Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength)
      if (this.#closed) keys.fill(0)
      else this.#ready.push(keys)
    })
    // A failed worker only means keys are made on the store's thread again.
    worker.on('error', () => { this.#worker = undefined })
    worker.on('exit', () => { this.#worker = undefined })
    worker.unref()
    this.#worker = worker
    this.#refill()
  }

  /**
   * A new data key: a ready one when there is one, else one made now. Its data key is in a memory of
   * its own (data-key.ts ownKey), which the caller may keep; the pool's copy is wiped.
   */
  take (): NewDataKey {
    if (this.#closed) throw new RangeError('the key factory is closed')
    const batch = this.#ready[0]
    if (batch === undefined) {
      this.#refill()
      const made = makeDataKey(this.#wrapKey)
      return { keyId: made.keyId, dataKey: ownKey(made.dataKey), wrapped: made.wrapped }
    }
    const key = takeDataKeyAt(batch, this.#next)
    if (++this.#next * DATA_KEY_RECORD_BYTES >= batch.length) {
      this.#ready.shift()
      this.#next = 0
    }
    this.#refill()
    return key
  }

  /** Keys ready in the pool. */
  get ready (): number {
    return this.#ready.reduce((n, b) => n + b.length / DATA_KEY_RECORD_BYTES, 0) - this.#next
  }

  /** Stop the worker and wipe every key not handed out. */
  async close (): Promise<void> {
    this.#closed = true
    // The keys handed out keep their ids and wrapped keys (views of their batch): only what is left is wiped.
    this.#ready[0]?.fill(0, this.#next * DATA_KEY_RECORD_BYTES)
    for (const batch of this.#ready.splice(1)) batch.fill(0)
    this.#ready.length = 0
    this.#next = 0
    this.#wrapKey.fill(0)
    const worker = this.#worker
    this.#worker = undefined
    if (worker !== undefined) await worker.terminate()
  }

  #refill (): void {
    if (this.#worker === undefined || this.#closed) return
    while (this.#ready.length + this.#asked < this.#batches) {
      this.#asked++
      this.#worker.postMessage(this.#batch)
    }
  }
}
