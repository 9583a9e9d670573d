/**
 * 外字 (characters outside the standard character set, registered per municipality) and the
 * 外字数 / 外字フラグ items of 別添2 (SPEC §2.1 items 3, 8, 20, 26; 附票 items 3, 9, 11, 16).
 *
 * Convention of ken-server: on the wire and in the store, a 外字 is carried as one code point of the
 * Unicode BMP Private Use Area, U+E000–U+F8FF (the range Unicode reserves for user-defined
 * characters, where 外字 tables conventionally place them). The mapping from a PUA code point to a
 * glyph belongs to the 外字 tables, not to this file. Code points of the supplementary PUA planes (U+F0000–U+10FFFD) are
 * not 外字 under this convention and are refused as text (text.ts), so no 外字 can go uncounted.
 */
import { reject } from '../../../proto/src/reason-codes.ts'

/** First and last code point of the BMP Private Use Area. */
export const GAIJI_FIRST = 0xe000
export const GAIJI_LAST = 0xf8ff

/** True when the code point `cp` is a 外字 under the PUA convention. */
export function isGaijiCodePoint (cp: number): boolean {
  return cp >= GAIJI_FIRST && cp <= GAIJI_LAST
}

/** Number of 外字 in `text` (code points in U+E000–U+F8FF). */
export function countGaiji (text: string): number {
  let n = 0
  for (const ch of text) if (isGaijiCodePoint(ch.codePointAt(0) ?? 0)) n++
  return n
}

/** One text item and the 外字数 the CS declared for it. */
export interface GaijiItem {
  readonly text: string
  readonly declaredCount: number
  /** Wire name of the 外字数 field, blamed when the count is wrong. */
  readonly countField: string
}

/**
 * The 外字 consistency rule: each declared 外字数 equals the number of 外字 in its text, and the
 * 外字フラグ is set exactly when some item holds a 外字.
 * @throws KEN_REJECT_GAIJI_INCONSISTENT with the 外字数 field, or `flagField` for the flag
 */
export function checkGaiji (items: readonly GaijiItem[], flag: boolean, flagField: string): void {
  let any = false
  for (const item of items) {
    const actual = countGaiji(item.text)
    if (item.declaredCount !== actual) throw reject.KEN_REJECT_GAIJI_INCONSISTENT(undefined, { field: item.countField })
    if (actual > 0) any = true
  }
  if (flag !== any) throw reject.KEN_REJECT_GAIJI_INCONSISTENT(undefined, { field: flagField })
}
