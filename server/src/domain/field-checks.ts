/**
 * The item-level checks validate-identity.ts and validate-fuhyo.ts share. Each throws the coded
 * rejection for the wire field it is given; none puts the value in the error (SPEC §7, STYLE.md).
 * Convention: a required item left empty is KEN_REJECT_MISSING_FIELD; a present but wrong one gets
 * the code of what is wrong with it.
 */
import { reject } from '../../../proto/src/reason-codes.ts'
import { isValidJuminhyoCode, isValidKojinBango, isValidMunicipalityCode } from './identifiers.ts'
import { isIsoDate, isAfter } from './dates.ts'
import { isKatakanaName } from './kana.ts'
import { Sex } from '../../../proto/src/types.ts'

/** Upper bound on a text item, in code points: bounds memory and log size, generous for 住所 with 方書. */
export const DEFAULT_MAX_TEXT_LENGTH = 256

/**
 * Code points never allowed in a text item: control characters (C0, DEL, C1), line/paragraph
 * separators, bidirectional overrides and isolates (they make the operator terminal show text in
 * another order than it is stored), U+FFFD (what a decoder leaves for invalid UTF-8), unpaired
 * surrogates, and the supplementary Private Use planes (not 外字 under gaiji.ts's convention).
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd\u{f0000}-\u{10ffff}]/u

/** Text of at most `max` code points holding no forbidden code point; empty allowed (see {@link requireText}). */
export function checkText (value: string, field: string, max: number): void {
  if (FORBIDDEN.test(value)) throw reject.KEN_REJECT_BAD_TEXT('forbidden character', { field })
  let length = 0
  for (const _ of value) {
    if (++length > max) throw reject.KEN_REJECT_BAD_TEXT('too long', { field })
  }
}

/** Non-empty text (漢字氏名, 住所): see {@link checkText}. */
export function requireText (value: string, field: string, max: number): void {
  if (value === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field })
  checkText(value, field, max)
}

/** ふりがな in katakana (kana.ts), within the length bound. */
export function requireKana (value: string, field: string, max: number): void {
  if (value === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field })
  checkText(value, field, max)
  if (!isKatakanaName(value)) throw reject.KEN_REJECT_BAD_KANA(undefined, { field })
}

/** A valid ISO calendar date that is not after `today`. */
export function requirePastDate (value: string, field: string, today: string): void {
  if (value === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field })
  if (!isIsoDate(value)) throw reject.KEN_REJECT_BAD_DATE(undefined, { field })
  if (isAfter(value, today)) throw reject.KEN_REJECT_DATE_ORDER('in the future', { field })
}

/** A 住民票コード: 11 digits, plus the modulus-11 check digit when configured (SPEC §2.3). */
export function requireJuminhyoCode (value: string, field: string, checkDigit: boolean): void {
  if (value === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field })
  if (!isValidJuminhyoCode(value, checkDigit)) throw reject.KEN_REJECT_BAD_JUMINHYO_CODE(undefined, { field })
}

/** A 地方公共団体コード with a valid check digit (SPEC §2.3). */
export function requireMunicipalityCode (value: string, field: string): void {
  if (value === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field })
  if (!isValidMunicipalityCode(value)) throw reject.KEN_REJECT_BAD_MUNICIPALITY_CODE(undefined, { field })
}

/** A 個人番号 with a valid check digit (SPEC §2.3, 番号法施行令8条). */
export function requireKojinBango (value: string, field: string): void {
  if (value === '') throw reject.KEN_REJECT_MISSING_FIELD(undefined, { field })
  if (!isValidKojinBango(value)) throw reject.KEN_REJECT_BAD_KOJIN_BANGO(undefined, { field })
}

/** 性別 1 (男) or 2 (女): the register has no other value, and "unspecified" is not one. */
export function requireSex (value: number, field: string): void {
  if (value !== Sex.MALE && value !== Sex.FEMALE) throw reject.KEN_REJECT_BAD_SEX(undefined, { field })
}
