/**
 * A small seeded PRNG for the simulator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * from PractRand), seeded through a 32-bit mixing hash so that `Rng.derive(seed, 'resident', 42)`
 * gives an independent stream per (seed, purpose, index). Deterministic everywhere; no Math.random.
 */

/** A seed as callers write it: a number, or a string (hashed). */
export type Seed = number | string

/** Murmur3's 32-bit finaliser: a bijective avalanche of one 32-bit word. */
export function fmix32 (h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

function mixWord (h: number, w: number): number {
  return fmix32((h ^ (w >>> 0)) + 0x6d2b79f5)
}

/** Hash numbers and strings into one 32-bit word (order matters). */
export function hash32 (...parts: readonly (number | string)[]): number {
  let h = 0x9e3779b9
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number | string
    if (typeof p === 'number') {
      // Integers up to 2^53: both halves, so 2^32 + 1 and 1 differ.
      h = mixWord(mixWord(h, p % 0x100000000), Math.floor(p / 0x100000000))
    } else {
      for (let j = 0; j < p.length; j++) h = mixWord(h, p.charCodeAt(j))
      h = mixWord(h, p.length ^ 0xa5a5a5a5)
    }
  }
  return h
}

/** hash32 of three 32-bit words, without allocation (one resident's stream: seed, purpose, index). */
export function hash3 (a: number, b: number, c: number): number {
  return mixWord(mixWord(mixWord(0x9e3779b9, a), b), c)
}

/** A seed as the 32-bit word the generators use. */
export function seedWord (seed: Seed): number {
  return typeof seed === 'number' && Number.isInteger(seed) && seed >= 0 && seed < 0x100000000 ? seed : hash32(String(seed))
}

/** sfc32: 128 bits of state, period ≥ 2^32, passes PractRand to many terabytes. */
export class Rng {
  #a: number
  #b: number
  #c: number
  #d: number

  constructor (seed: Seed) {
    const s = seedWord(seed)
    this.#a = fmix32(s ^ 0x243f6a88)
    this.#b = fmix32(s ^ 0x85a308d3)
    this.#c = fmix32(s ^ 0x13198a2e)
    this.#d = 1
    for (let i = 0; i < 12; i++) this.u32()
  }

  /** An independent stream for (seed, purpose, index…). */
  static derive (seed: Seed, ...parts: readonly (number | string)[]): Rng {
    return new Rng(hash32(seedWord(seed), ...parts))
  }

  /** The stream of item `index` (< 2^32) for a purpose hashed once with {@link hash32}: the hot path. */
  static indexed (seed: number, purpose: number, index: number): Rng {
    return new Rng(hash3(seed, purpose, index))
  }

  /** The next 32-bit unsigned integer. */
  u32 (): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0
    this.#d = (this.#d + 1) >>> 0
    this.#a = this.#b ^ (this.#b >>> 9)
    this.#b = (this.#c + (this.#c << 3)) >>> 0
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0
    this.#c = (this.#c + t) >>> 0
    return t
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  float (): number {
    return this.u32() / 0x100000000
  }

  /** An integer in [0, n), n ≤ 2^32, without modulo bias. */
  int (n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new RangeError('n must be an integer in 1..2^32')
    const limit = 0x100000000 - (0x100000000 % n)
    let x = this.u32()
    while (x >= limit) x = this.u32()
    return x % n
  }

  /** An integer in [min, max]. */
  between (min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  /** True with probability p. */
  chance (p: number): boolean {
    return this.float() < p
  }

  /** A copy of `items` in random order (Fisher–Yates). */
  shuffled<T> (items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const a = out[i] as T
      out[i] = out[j] as T
      out[j] = a
    }
    return out
  }

  /** One element of a non-empty list, uniformly. */
  pick<T> (items: readonly T[]): T {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new RangeError('pick from an empty list')
    return item
  }
}

/**
 * Weighted choice in O(log n): build once from the weights, then `pick(rng)` returns an index with
 * probability weight / total.
 */
export class WeightedTable<T> {
  readonly #items: readonly T[]
  readonly #cumulative: Float64Array
  readonly #total: number

  constructor (entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('a weighted table needs entries')
    this.#items = entries.map(([item]) => item)
    this.#cumulative = new Float64Array(entries.length)
    let sum = 0
    entries.forEach(([, w], i) => {
      if (!(w >= 0)) throw new RangeError('weights must be non-negative')
      sum += w
      this.#cumulative[i] = sum
    })
    if (sum <= 0) throw new RangeError('weights must not all be zero')
    this.#total = sum
  }

  /** An item, drawn with probability proportional to its weight. */
  pick (rng: Rng): T {
    const x = rng.float() * this.#total
    let lo = 0
    let hi = this.#cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.#cumulative[mid] ?? 0) > x) hi = mid
      else lo = mid + 1
    }
    return this.#items[lo] as T
  }
}
