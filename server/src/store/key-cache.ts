/**
 * The keyring's unwrapped data keys by key id (keyring.ts), least recently used out first: an
 * open-addressed table over the ids' 16 bytes (linear probing, deletion by shifting back, Knuth
 * TAOCP vol. 3 §6.4 Algorithm R) and a doubly linked list of its entries in use order, all in typed
 * arrays made once. Every accepted update makes a data key (planner.ts freshKey), so once full every
 * update adds one key and evicts another: in a Map keyed by the id's name that cost ~1.5 µs of the
 * store's serial thread per update in Map sets, deletes and rehashes and a name string per lookup
 * (issue 18); here it is a few array writes and no allocation.
 *
 * Only 16-byte ids are kept (layout.ts KEY_ID_BYTES: resident keys and period keys); any other id is
 * never cached, so its key is unwrapped at each use.
 */
import { KEY_ID_BYTES } from './layout.ts'

const NONE = -1

/** The hash of the 16-byte id at bytes[at, +16): its four words mixed (MurmurHash3 fmix32 at the end). */
function idHash (bytes: Uint8Array, at: number): number {
  let h = 0
  for (let w = 0; w < 4; w++) {
    const o = at + 4 * w
    const word = (bytes[o] as number) | (bytes[o + 1] as number) << 8 | (bytes[o + 2] as number) << 16 | (bytes[o + 3] as number) << 24
    h = Math.imul(h ^ word, 0x9e3779b1)
    h ^= h >>> 15
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

export class KeyCache {
  readonly #capacity: number
  readonly #mask: number
  /** Per bucket: its entry + 1, or 0 when empty. At least twice the entries, so probes stay short. */
  readonly #buckets: Int32Array
  /** Per entry: its id (16 bytes at 16 × entry), its hash, its key, and its neighbours in use order. */
  readonly #ids: Buffer
  readonly #hashes: Uint32Array
  readonly #keys: Array<Buffer | undefined>
  readonly #older: Int32Array
  readonly #newer: Int32Array
  #oldest = NONE
  #newest = NONE
  #size = 0
  /** Entries never used yet start here; freed ones are kept in #free. */
  #unused = 0
  readonly #free: Int32Array
  #freeCount = 0

  constructor (capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a key cache holds at least one key')
    this.#capacity = capacity
    let buckets = 2
    while (buckets < 2 * capacity) buckets *= 2
    this.#mask = buckets - 1
    this.#buckets = new Int32Array(buckets)
    this.#ids = Buffer.alloc(KEY_ID_BYTES * capacity)
    this.#hashes = new Uint32Array(capacity)
    this.#keys = new Array<Buffer | undefined>(capacity).fill(undefined)
    this.#older = new Int32Array(capacity)
    this.#newer = new Int32Array(capacity)
    this.#free = new Int32Array(capacity)
  }

  /** Keys held now. */
  get size (): number {
    return this.#size
  }

  /** True when the key of `id` is held (its place in use order unchanged). */
  has (id: Uint8Array): boolean {
    return this.#find(id) !== NONE
  }

  /** The key of `id`, made the most recently used; undefined when not held. */
  get (id: Uint8Array): Buffer | undefined {
    const entry = this.#find(id)
    if (entry === NONE) return undefined
    this.#unlink(entry)
    this.#append(entry)
    return this.#keys[entry]
  }

  /**
   * Hold `key` under `id` as the most recently used, evicting the least recently used key when full
   * (not wiped: whoever was handed it may still use it). An id not 16 bytes long is not held.
   */
  set (id: Uint8Array, key: Buffer): void {
    if (id.length !== KEY_ID_BYTES) return
    const found = this.#find(id)
    if (found !== NONE) {
      this.#keys[found] = key
      this.#unlink(found)
      this.#append(found)
      return
    }
    if (this.#size >= this.#capacity) this.#remove(this.#oldest)
    const entry = this.#freeCount > 0 ? (this.#free[--this.#freeCount] as number) : this.#unused++
    const hash = idHash(id, 0)
    this.#ids.set(id, KEY_ID_BYTES * entry)
    this.#hashes[entry] = hash
    this.#keys[entry] = key
    let bucket = hash & this.#mask
    while (this.#buckets[bucket] !== 0) bucket = (bucket + 1) & this.#mask
    this.#buckets[bucket] = entry + 1
    this.#append(entry)
    this.#size++
  }

  /** Take the key of `id` out; returns it (for the caller to wipe), or undefined when not held. */
  delete (id: Uint8Array): Buffer | undefined {
    const entry = this.#find(id)
    if (entry === NONE) return undefined
    const key = this.#keys[entry]
    this.#remove(entry)
    return key
  }

  /** The entry of `id`, or NONE. */
  #find (id: Uint8Array): number {
    if (id.length !== KEY_ID_BYTES) return NONE
    const ids = this.#ids
    let bucket = idHash(id, 0) & this.#mask
    for (;;) {
      const held = this.#buckets[bucket] as number
      if (held === 0) return NONE
      const entry = held - 1
      const at = KEY_ID_BYTES * entry
      let same = true
      for (let i = 0; i < KEY_ID_BYTES; i++) {
        if (ids[at + i] !== id[i]) {
          same = false
          break
        }
      }
      if (same) return entry
      bucket = (bucket + 1) & this.#mask
    }
  }

  /** Take `entry` out of the table and the use order, and free it. */
  #remove (entry: number): void {
    const mask = this.#mask
    const buckets = this.#buckets
    let hole = (this.#hashes[entry] as number) & mask
    while (buckets[hole] !== entry + 1) hole = (hole + 1) & mask
    // Algorithm R: move back every later entry of the run whose home is not between the hole and it.
    let next = hole
    for (;;) {
      next = (next + 1) & mask
      const held = buckets[next] as number
      if (held === 0) break
      const home = (this.#hashes[held - 1] as number) & mask
      const between = hole <= next ? hole < home && home <= next : hole < home || home <= next
      if (between) continue
      buckets[hole] = held
      hole = next
    }
    buckets[hole] = 0
    this.#unlink(entry)
    this.#keys[entry] = undefined
    this.#free[this.#freeCount++] = entry
    this.#size--
  }

  #unlink (entry: number): void {
    const older = this.#older[entry] as number
    const newer = this.#newer[entry] as number
    if (older === NONE) this.#oldest = newer
    else this.#newer[older] = newer
    if (newer === NONE) this.#newest = older
    else this.#older[newer] = older
  }

  #append (entry: number): void {
    this.#older[entry] = this.#newest
    this.#newer[entry] = NONE
    if (this.#newest === NONE) this.#oldest = entry
    else this.#newer[this.#newest] = entry
    this.#newest = entry
  }
}
