/**
 * The overlay of one commit group (SPEC §3 "Order matters", §4 group commit): every write of the
 * group goes here first, and every read looks here before the committed state, so a later item sees
 * the effects of an earlier item of the same group. At the end its writes become one atomic batch.
 * An undo journal lets one request of the group be taken back when planning it fails.
 * Kept in one table of slots found by space and the key's bytes (overlay-table.ts), no string per key.
 */
import type { Space, WriteOp } from './layout.ts'
import { OverlayTable } from './overlay-table.ts'

/** Reads committed values (one I/O for many keys). */
export type BaseReader = (space: Space, keys: readonly Buffer[]) => Promise<Array<Buffer | undefined>>

/** The last write of every key of a group. */
export interface GroupWrites {
  /** A value, null for a deletion, undefined when the group did not write the key. */
  written: (space: Space, key: Buffer) => Buffer | null | undefined
}

/**
 * Thrown by {@link ViewTx.read} for a value neither written in the group nor fetched yet. Planning and
 * applying an entry run synchronously (no await per read: ~25 per update cost the store's serial
 * thread promise allocations and turns of the microtask queue, issue 18); a step that meets one is
 * taken back, the value fetched, and the step run again ({@link withReads}).
 */
export class NeedRead extends Error {
  readonly space: Space
  readonly key: Buffer

  constructor (space: Space, key: Buffer) {
    super('a value not fetched yet')
    this.name = 'NeedRead'
    this.space = space
    this.key = key
  }
}

/**
 * Run `step` against `tx`; when it needs a value not in memory, undo its writes (and what `restore`
 * undoes), fetch that value and run it again. Synchronous when nothing is missing (the prefetched
 * commit path); a step must leave nothing but its writes to `tx` (and what `restore` resets) behind.
 */
export function withReads<T> (tx: ViewTx, step: () => T, restore?: () => void): T | Promise<T> {
  const mark = tx.mark()
  try {
    return step()
  } catch (err) {
    if (!(err instanceof NeedRead)) throw err
    tx.rollback(mark)
    restore?.()
    return tx.prefetch(err.space, [err.key]).then(() => withReads(tx, step, restore))
  }
}

/** A slot's write when it has none (a write is a Buffer, or null for a deletion). */
const UNWRITTEN = 0
/** A slot's fetched value when it was not fetched (a value is a Buffer, or undefined when absent). */
const UNFETCHED = 0

/** The most keys the arrays are made for at once. */
const MAX_EXPECTED_KEYS = 65536

export class ViewTx implements GroupWrites {
  /** Undefined once {@link endReads} is called. */
  #base: BaseReader | undefined
  readonly #table: OverlayTable
  /** Per slot: its last write in the group, or UNWRITTEN. */
  readonly #written: Array<Buffer | null | typeof UNWRITTEN>
  /** Per slot: its committed value as fetched, or UNFETCHED. */
  readonly #fetched: Array<Buffer | undefined | typeof UNFETCHED>
  /** Per slot: the number of the last prefetch that asked for it (a key asked twice is read once). */
  readonly #asked: number[]
  #prefetches = 0
  /** The slots written, in the order of their first write (ops() gives a space's keys in that order); the
   * arrays below are made for the expected keys at once and used up to their counts, not grown by push. */
  readonly #order: number[]
  #orderCount = 0
  /** The spaces in the order of their first write (ops() gives the spaces in that order). */
  readonly #spaceOrder: Space[] = []
  /** The undo journal: the slot of each write, and what it replaced. */
  readonly #undoSlot: number[]
  readonly #undoPrevious: Array<Buffer | null | typeof UNWRITTEN>
  #undoCount = 0

  /** @param expected the keys the group is expected to touch (its arrays are made that long at once) */
  constructor (base: BaseReader, expected = 0) {
    this.#base = base
    // V8 makes `new Array(n)` a dictionary (slow) array past ~100,000 elements: more keys grow past it.
    const expectedKeys = Math.min(expected, MAX_EXPECTED_KEYS)
    this.#table = new OverlayTable(expectedKeys)
    this.#written = new Array(expectedKeys)
    this.#fetched = new Array(expectedKeys)
    this.#asked = new Array(expectedKeys)
    this.#order = new Array(expectedKeys)
    this.#undoSlot = new Array(expectedKeys)
    this.#undoPrevious = new Array(expectedKeys)
  }

  /** The value as the group sees it now, if known without I/O. @throws NeedRead when it is not */
  read (space: Space, key: Buffer): Buffer | undefined {
    const slot = this.#table.find(space, key)
    if (slot >= 0) {
      const written = this.#written[slot] as Buffer | null | typeof UNWRITTEN
      if (written !== UNWRITTEN) return written ?? undefined
      const fetched = this.#fetched[slot]
      if (fetched !== UNFETCHED) return fetched
    }
    throw new NeedRead(space, key)
  }

  /** Read many committed values at once, so the group's items find them in memory. */
  async prefetch (space: Space, keys: readonly Buffer[]): Promise<void> {
    const call = ++this.#prefetches
    const wanted: Buffer[] = []
    const slots: number[] = []
    for (const key of keys) {
      const slot = this.#slot(space, key)
      if (this.#asked[slot] === call || this.#written[slot] !== UNWRITTEN || this.#fetched[slot] !== UNFETCHED) continue
      this.#asked[slot] = call
      wanted.push(key)
      slots.push(slot)
    }
    if (wanted.length === 0) return
    const base = this.#base
    if (base === undefined) throw new Error('a read of the committed state after the group was planned')
    const values = await base(space, wanted)
    for (let i = 0; i < slots.length; i++) this.#fetched[slots[i] as number] = values[i]
  }

  put (space: Space, key: Buffer, value: Buffer): void {
    this.#write(space, key, value)
  }

  del (space: Space, key: Buffer): void {
    this.#write(space, key, null)
  }

  /**
   * The group is planned: no more reads of the committed state. Drops the reader, which for a group
   * planned while earlier ones were in flight reads through their overlays (commit-group.ts
   * readThrough): kept, each group's overlay held the two before it, and so on back to the last group
   * that started with none in flight — under a steady load every overlay since, each marked again at
   * every major GC (bench/results/2026-12-01-session15-main10-ab.txt).
   */
  endReads (): void {
    this.#base = undefined
  }

  /** A point to roll back to. */
  mark (): number {
    return this.#undoCount
  }

  /** Undo every write made since `mark`. */
  rollback (mark: number): void {
    while (this.#undoCount > mark) {
      const at = --this.#undoCount
      const slot = this.#undoSlot[at] as number
      const previous = this.#undoPrevious[at] as Buffer | null | typeof UNWRITTEN
      this.#undoPrevious[at] = UNWRITTEN
      this.#written[slot] = previous
      // The journal is undone last write first, so a slot's first write is the last of #order.
      if (previous === UNWRITTEN) this.#orderCount--
    }
  }

  /** The batch: the last write of every key, space by space (keys are distinct, so order is free). */
  ops (): WriteOp[] {
    const order = this.#order
    const count = this.#orderCount
    const out: WriteOp[] = new Array(count)
    const spaces = this.#table.spaces
    const keys = this.#table.keys
    let n = 0
    for (const space of this.#spaceOrder) {
      for (let i = 0; i < count; i++) {
        const slot = order[i] as number
        if (spaces[slot] === space) out[n++] = { space, key: keys[slot] as Buffer, value: this.#written[slot] as Buffer | null }
      }
    }
    return out
  }

  /** The last write of a key of a space: a value, null for a deletion, undefined for none. */
  written (space: Space, key: Buffer): Buffer | null | undefined {
    const slot = this.#table.find(space, key)
    if (slot < 0) return undefined
    const written = this.#written[slot] as Buffer | null | typeof UNWRITTEN
    return written === UNWRITTEN ? undefined : written
  }

  /** Keys written (replay flushes by it). */
  get size (): number {
    return this.#orderCount
  }

  #write (space: Space, key: Buffer, value: Buffer | null): void {
    const slot = this.#slot(space, key)
    const previous = this.#written[slot] as Buffer | null | typeof UNWRITTEN
    const at = this.#undoCount++
    this.#undoSlot[at] = slot
    this.#undoPrevious[at] = previous
    if (previous === UNWRITTEN) {
      this.#order[this.#orderCount++] = slot
      if (!this.#spaceOrder.includes(space)) this.#spaceOrder.push(space)
    }
    this.#written[slot] = value
  }

  /** The slot of (space, key), its fields made on first use. */
  #slot (space: Space, key: Buffer): number {
    const before = this.#table.count
    const slot = this.#table.slot(space, key)
    if (slot === before) {
      this.#written[slot] = UNWRITTEN
      this.#fetched[slot] = UNFETCHED
      this.#asked[slot] = 0
    }
    return slot
  }
}

