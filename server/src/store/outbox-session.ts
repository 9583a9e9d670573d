/**
 * One ken-national session on the outbox socket: where its reads stand and which forwards it was given
 * but has not confirmed. Reads resume from the confirmed position (from 0) or continue right after the
 * previous batch; a confirm must name a forward given in this session, so the confirmed position is
 * always a forward's position and the next session's first forward names it as its predecessor.
 * Each confirm is recorded as one `national.forward` act (SPEC §5.1 "every transmission is recorded";
 * 002 §III-5 リスク2 "通信の記録が逐一保存"), whose view is the durable confirmed position.
 */
import type { OutboxBatch, OutboxConfirm, OutboxConfirmed, OutboxRead } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { Store, StoreLogger } from './store.ts'
import { readForwards } from './outbox-reader.ts'
import { errors } from './errors.ts'

/** The longest a read may wait for new entries, and the most forwards one batch may carry. */
export const MAX_WAIT_MS = 5000
export const MAX_ITEMS = 4096
const POLL_MS = 10

/** The daemon name recorded as the actor of national.forward acts. */
export const NATIONAL_ACTOR = 'ken-national'

export class OutboxSession {
  readonly #store: Store
  readonly #logger: StoreLogger
  readonly #alive: () => boolean
  #nextFrom: number | undefined
  #lastForward = 0
  /** The confirmed position: read from the store when a session (re)starts, then moved by its own confirms. */
  #confirmed = 0
  /** Forward positions given and not yet confirmed, in order. */
  #given: number[] = []

  constructor (store: Store, logger: StoreLogger, alive: () => boolean) {
    this.#store = store
    this.#logger = logger
    this.#alive = alive
  }

  async read (req: OutboxRead): Promise<OutboxBatch> {
    let from: number
    if (req.fromPosition === 0) {
      // Only here is the view read: a read of the views waits for the commit group in flight, which
      // during a load would cost every read a group (issue 18). Only this session's confirms move it.
      this.#confirmed = await this.#store.outboxConfirmed()
      from = this.#confirmed + 1
      this.#lastForward = this.#confirmed
      this.#given = []
    } else if (req.fromPosition === this.#nextFrom) {
      from = req.fromPosition
    } else {
      return { items: [], scannedTo: 0, head: this.#store.head().position, confirmed: this.#confirmed, errorCode: errors.KEN_ERR_STORE_OUTBOX_POSITION.code }
    }
    const maxItems = Math.max(1, Math.min(req.maxItems, MAX_ITEMS))
    const deadline = performance.now() + Math.min(req.waitMs, MAX_WAIT_MS)
    // 随時 (B1.1): a read with nothing to give waits for the next commit instead of making the consumer poll.
    while (this.#store.head().position < from && performance.now() < deadline && this.#alive() && this.#store.isOpen) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    const slice = this.#store.isOpen ? await readForwards(this.#store, from, maxItems, this.#lastForward, this.#logger) : { items: [], scannedTo: from - 1, lastForward: this.#lastForward }
    this.#nextFrom = slice.scannedTo + 1
    this.#lastForward = slice.lastForward
    for (const item of slice.items) this.#given.push((item.identity ?? item.fuhyo)?.logPosition ?? 0)
    return { items: slice.items, scannedTo: slice.scannedTo, head: this.#store.head().position, confirmed: this.#confirmed, errorCode: '' }
  }

  async confirm (req: OutboxConfirm): Promise<OutboxConfirmed> {
    const index = this.#given.indexOf(req.upToPosition)
    if (index < 0) {
      const confirmed = await this.#store.outboxConfirmed()
      // A repeated confirm of the confirmed position is an answer, not an error (ken-national resends after a cut).
      return { confirmed, actPosition: 0, errorCode: req.upToPosition === confirmed ? '' : errors.KEN_ERR_STORE_OUTBOX_CONFIRM.code }
    }
    const batch = this.#given.slice(0, index + 1)
    this.#given = this.#given.slice(index + 1)
    try {
      const head = await this.#store.recordAct({
        kind: 'national.forward',
        actor: NATIONAL_ACTOR,
        terminal: req.peer.slice(0, 256),
        fromPosition: batch[0] ?? req.upToPosition,
        toPosition: req.upToPosition,
        count: batch.length
      })
      this.#confirmed = Math.max(this.#confirmed, req.upToPosition)
      return { confirmed: req.upToPosition, actPosition: head.position, errorCode: '' }
    } catch (err) {
      this.#given = [...batch, ...this.#given]
      const code = isKenError(err) ? err.code : errors.KEN_ERR_STORE_APPEND_FAILED.code
      this.#logger.warn({ event: 'store.outbox.confirm_failed', code }, 'confirm not recorded')
      return { confirmed: await this.#store.outboxConfirmed().catch(() => 0), actPosition: 0, errorCode: code }
    }
  }
}
