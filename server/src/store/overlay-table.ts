/**
 * The slots of a commit group's overlay (view-tx.ts): one per (space, key) the group fetched or wrote,
 * found by the key's bytes. An open-addressed table with linear probing over an Int32Array of slot
 * numbers, and the slots' fields in parallel arrays: no string built per key and no object per slot
 * (the latin1 string keys and per-space Maps of session 12 were ~2.5 KB of the store's main thread's
 * allocation per update; gc7's profile, issue 18). Slots are never removed: a write taken back only
 * clears the slot's write.
 * Keys are kept, not copied: the store never changes a key's bytes once handed over (the batch of
 * the group keeps the same Buffers until its write).
 */
import type { Space } from './layout.ts'

/** The fewest buckets of the table's index; it is doubled while more than half of them are taken. */
const MIN_BUCKETS = 1024

/** A small number per space, mixed into the hash so that one key in two spaces is two different slots. */
const spaceIds = new Map<Space, number>()

function spaceId (space: Space): number {
  let id = spaceIds.get(space)
  if (id === undefined) {
    id = spaceIds.size + 1
    spaceIds.set(space, id)
  }
  return id
}

/** 32-bit hash of a space and a key's bytes (FNV-1a over 4-byte words, then MurmurHash3's fmix32). */
export function keyHash (space: Space, key: Uint8Array): number {
  let h = Math.imul(0x811c9dc5 ^ spaceId(space), 0x01000193)
  const n = key.length
  const whole = n & ~3
  let i = 0
  for (; i < whole; i += 4) {
    h = Math.imul(h ^ ((key[i] as number) | (key[i + 1] as number) << 8 | (key[i + 2] as number) << 16 | (key[i + 3] as number) << 24), 0x01000193)
  }
  for (; i < n; i++) h = Math.imul(h ^ (key[i] as number), 0x01000193)
  h = Math.imul(h ^ n, 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) | 0
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true
  const n = a.length
  if (b.length !== n) return false
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false
  return true
}

export class OverlayTable {
  /** Slot number + 1 per bucket; 0 is an empty bucket. */
  #buckets: Int32Array
  #mask: number
  readonly #hashes: number[]
  /** The space of each slot. */
  readonly spaces: Space[]
  /** The key of each slot (the first Buffer it was found by). */
  readonly keys: Buffer[]
  /** Slots in use. */
  count = 0

  /**
   * @param expected the slots the caller expects: the arrays are made that long at once, rather than
   *   grown (and copied) step by step; more slots are still taken
   */
  constructor (expected = 0) {
    let buckets = MIN_BUCKETS
    while (buckets < 2 * expected) buckets *= 2
    this.#buckets = new Int32Array(buckets)
    this.#mask = buckets - 1
    this.#hashes = new Array(expected)
    this.spaces = new Array(expected)
    this.keys = new Array(expected)
  }

  /** The slot of (space, key), or -1. */
  find (space: Space, key: Uint8Array): number {
    return this.#probe(space, key, keyHash(space, key), false)
  }

  /** The slot of (space, key), made when there is none (then it is the last: `count - 1`). */
  slot (space: Space, key: Buffer): number {
    return this.#probe(space, key, keyHash(space, key), true)
  }

  #probe (space: Space, key: Uint8Array, hash: number, add: boolean): number {
    const buckets = this.#buckets
    const mask = this.#mask
    for (let b = hash & mask; ; b = (b + 1) & mask) {
      const at = buckets[b] as number
      if (at === 0) break
      const slot = at - 1
      if (this.#hashes[slot] === hash && this.spaces[slot] === space && sameBytes(this.keys[slot] as Buffer, key)) return slot
    }
    if (!add) return -1
    const slot = this.count++
    this.#hashes[slot] = hash
    this.spaces[slot] = space
    this.keys[slot] = key as Buffer
    if (2 * this.count > buckets.length) this.#grow()
    else this.#place(slot, hash)
    return slot
  }

  #place (slot: number, hash: number): void {
    const buckets = this.#buckets
    const mask = this.#mask
    let b = hash & mask
    while (buckets[b] !== 0) b = (b + 1) & mask
    buckets[b] = slot + 1
  }

  /** Twice the buckets, every slot placed again. */
  #grow (): void {
    const size = this.#buckets.length * 2
    this.#buckets = new Int32Array(size)
    this.#mask = size - 1
    for (let slot = 0; slot < this.count; slot++) this.#place(slot, this.#hashes[slot] as number)
  }
}
