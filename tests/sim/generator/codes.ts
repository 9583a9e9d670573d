/**
 * Unique identifiers derived in O(1) from (seed, slot): a keyed Feistel permutation of the slot over
 * the code space, then the check digit. A permutation never maps two slots to one code, so 個人番号
 * and 住民票コード are unique across a population of any size without a table of used codes, and a
 * resident's codes come from its index alone.
 *
 * Slots: residents and newcomers use their person index (< {@link REISSUE_BASE}); codes issued later
 * (住民票コード変更, 個人番号変更) use REISSUE_BASE + k; codes that must never be issued (for the
 * "unknown resident" cases) use {@link NEVER_ISSUED_BASE} + k.
 */
import { juminhyoCodeCheckDigit, kojinBangoCheckDigit } from '../../../server/src/domain/identifiers.ts'
import { fmix32, hash32 } from './prng.ts'

/** First slot of codes issued after the population (changes of 住民票コード / 個人番号). */
export const REISSUE_BASE = 5_000_000_000
/** First slot of codes no resident ever holds. */
export const NEVER_ISSUED_BASE = 9_000_000_000

const ROUNDS = 6

/** The round function: fixed arity and no allocation, since 5 M residents need 10 M codes. */
function round (key: number, r: number, v: number): number {
  return fmix32(fmix32(key ^ Math.imul(r + 1, 0x9e3779b9)) ^ v)
}

/**
 * A keyed permutation of [0, left·right): an unbalanced Feistel network in mixed radix. Each round
 * adds a keyed hash of one part to the other modulo its radix, which is invertible, so the whole is
 * a bijection for any radices.
 */
function permute (x: number, left: number, right: number, key: number): number {
  let a = Math.floor(x / right)
  let b = x % right
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) b = (b + round(key, r, a) % right) % right
    else a = (a + round(key, r, b) % left) % left
  }
  return a * right + b
}

function digits (n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** The identifier spaces of one seed: keys derived once, codes in O(1) per slot. */
export class CodeSpace {
  readonly #juminhyoKey: number
  readonly #juminhyo11Key: number
  readonly #kojinKey: number
  readonly #checkDigit: boolean

  /** @param checkDigit 住民票コード satisfy the optional modulus-11 rule (SPEC §2.3) */
  constructor (seed: number, checkDigit: boolean) {
    this.#juminhyoKey = hash32(seed, 'juminhyo')
    this.#juminhyo11Key = hash32(seed, 'juminhyo11')
    this.#kojinKey = hash32(seed, 'kojin')
    this.#checkDigit = checkDigit
  }

  /**
   * The 住民票コード of `slot`: 10 permuted digits and the modulus-11 check digit when the space has
   * check digits, else 11 permuted digits (which may or may not satisfy the optional rule).
   */
  juminhyoCode (slot: number): string {
    if (this.#checkDigit) {
      const body = digits(permute(slot, 100_000, 100_000, this.#juminhyoKey), 10)
      return body + String(juminhyoCodeCheckDigit(body))
    }
    return digits(permute(slot, 100_000, 1_000_000, this.#juminhyo11Key), 11)
  }

  /** The 個人番号 of `slot`: 11 permuted digits and the check digit of 番号法施行令8条. */
  kojinBango (slot: number): string {
    const body = digits(permute(slot, 100_000, 1_000_000, this.#kojinKey), 11)
    return body + String(kojinBangoCheckDigit(body))
  }
}
