/**
 * The overlay of one commit group (SPEC §3 "Order matters", §4 group commit): every write of the
 * group goes here first, and every read looks here before the committed state, so a later item sees
 * the effects of an earlier item of the same group. At the end its writes become one atomic batch.
 * An undo journal lets one request of the group be taken back when planning it fails.
 */
import type { Space, WriteOp } from './layout.ts'

/** Reads committed values (one I/O for many keys). */
export type BaseReader = (space: Space, keys: readonly Buffer[]) => Promise<Array<Buffer | undefined>>

interface Undo {
  readonly id: string
  readonly previous: WriteOp | undefined
}

export class ViewTx {
  readonly #base: BaseReader
  readonly #writes = new Map<string, WriteOp>()
  readonly #fetched = new Map<string, Buffer | undefined>()
  readonly #journal: Undo[] = []

  constructor (base: BaseReader) {
    this.#base = base
  }

  /** The value as the group sees it now. */
  async get (space: Space, key: Buffer): Promise<Buffer | undefined> {
    const id = overlayId(space, key)
    const written = this.#writes.get(id)
    if (written !== undefined) return written.value ?? undefined
    if (this.#fetched.has(id)) return this.#fetched.get(id)
    const [value] = await this.#base(space, [key])
    this.#fetched.set(id, value)
    return value
  }

  /** Read many committed values at once, so the group's items find them in memory. */
  async prefetch (space: Space, keys: readonly Buffer[]): Promise<void> {
    const seen = new Set<string>()
    const wanted = keys.filter((key) => {
      const id = overlayId(space, key)
      if (seen.has(id) || this.#writes.has(id) || this.#fetched.has(id)) return false
      seen.add(id)
      return true
    })
    if (wanted.length === 0) return
    const values = await this.#base(space, wanted)
    wanted.forEach((key, i) => this.#fetched.set(overlayId(space, key), values[i]))
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
      if (undo.previous === undefined) this.#writes.delete(undo.id)
      else this.#writes.set(undo.id, undo.previous)
    }
  }

  /** The batch: the last write of every key. */
  ops (): WriteOp[] {
    return [...this.#writes.values()]
  }

  /** The last write of every key, by {@link overlayId}. */
  writes (): ReadonlyMap<string, WriteOp> {
    return this.#writes
  }

  get size (): number {
    return this.#writes.size
  }

  #write (op: WriteOp): void {
    const id = overlayId(op.space, op.key)
    this.#journal.push({ id, previous: this.#writes.get(id) })
    this.#writes.set(id, op)
  }
}

/** The overlay's name of a key of a space. */
export function overlayId (space: Space, key: Buffer): string {
  return `${space}\0${key.toString('latin1')}`
}
