/**
 * The overlay of one commit group (SPEC §3 "Order matters", §4 group commit): every write of the
 * group goes here first, and every read looks here before the committed state, so a later item sees
 * the effects of an earlier item of the same group. At the end its writes become one atomic batch.
 * An undo journal lets one request of the group be taken back when planning it fails.
 * Kept per space, keyed by the key's bytes as a latin1 string: a combined space‖key string per get
 * and put cost more than the lookup it named (a concatenated string is flattened to be hashed).
 */
import type { Space, WriteOp } from './layout.ts'

/** Reads committed values (one I/O for many keys). */
export type BaseReader = (space: Space, keys: readonly Buffer[]) => Promise<Array<Buffer | undefined>>

/** The last write of every key of a group, looked up by space and {@link overlayKey}. */
export interface GroupWrites {
  find: (space: Space, id: string) => WriteOp | undefined
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

interface Undo {
  readonly space: Space
  readonly id: string
  readonly previous: WriteOp | undefined
}

export class ViewTx implements GroupWrites {
  readonly #base: BaseReader
  readonly #writes = new Map<Space, Map<string, WriteOp>>()
  readonly #fetched = new Map<Space, Map<string, Buffer | undefined>>()
  readonly #journal: Undo[] = []

  constructor (base: BaseReader) {
    this.#base = base
  }

  /** The value as the group sees it now, if known without I/O. @throws NeedRead when it is not */
  read (space: Space, key: Buffer): Buffer | undefined {
    const id = overlayKey(key)
    const written = this.#writes.get(space)?.get(id)
    if (written !== undefined) return written.value ?? undefined
    const fetched = this.#fetched.get(space)
    const value = fetched?.get(id)
    if (value !== undefined || fetched?.has(id) === true) return value
    throw new NeedRead(space, key)
  }

  /** Read many committed values at once, so the group's items find them in memory. */
  async prefetch (space: Space, keys: readonly Buffer[]): Promise<void> {
    const written = this.#writes.get(space)
    const fetched = perSpace(this.#fetched, space)
    const seen = new Set<string>()
    const wanted: Buffer[] = []
    const ids: string[] = []
    for (const key of keys) {
      const id = overlayKey(key)
      if (seen.has(id) || written?.has(id) === true || fetched.has(id)) continue
      seen.add(id)
      wanted.push(key)
      ids.push(id)
    }
    if (wanted.length === 0) return
    const values = await this.#base(space, wanted)
    ids.forEach((id, i) => fetched.set(id, values[i]))
  }

  put (space: Space, key: Buffer, value: Buffer): void {
    this.#write({ space, key, value })
  }

  del (space: Space, key: Buffer): void {
    this.#write({ space, key, value: null })
  }

  /** A point to roll back to. */
  mark (): number {
    return this.#journal.length
  }

  /** Undo every write made since `mark`. */
  rollback (mark: number): void {
    while (this.#journal.length > mark) {
      const undo = this.#journal.pop()
      if (undo === undefined) break
      const writes = perSpace(this.#writes, undo.space)
      if (undo.previous === undefined) writes.delete(undo.id)
      else writes.set(undo.id, undo.previous)
    }
  }

  /** The batch: the last write of every key (space by space; keys are distinct, so order is free). */
  ops (): WriteOp[] {
    const out: WriteOp[] = []
    for (const writes of this.#writes.values()) for (const op of writes.values()) out.push(op)
    return out
  }

  /** The last write of a key of a space, by {@link overlayKey}. */
  find (space: Space, id: string): WriteOp | undefined {
    return this.#writes.get(space)?.get(id)
  }

  /** Keys written (replay flushes by it). */
  get size (): number {
    let n = 0
    for (const writes of this.#writes.values()) n += writes.size
    return n
  }

  #write (op: WriteOp): void {
    const id = overlayKey(op.key)
    const writes = perSpace(this.#writes, op.space)
    this.#journal.push({ space: op.space, id, previous: writes.get(id) })
    writes.set(id, op)
  }
}

/** One space's map of a per-space map, made on first use. */
function perSpace<V> (maps: Map<Space, Map<string, V>>, space: Space): Map<string, V> {
  let map = maps.get(space)
  if (map === undefined) {
    map = new Map()
    maps.set(space, map)
  }
  return map
}

/** The overlay's name of a key within its space. */
export function overlayKey (key: Buffer): string {
  return key.toString('latin1')
}
