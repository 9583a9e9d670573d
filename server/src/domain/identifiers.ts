/**
 * Check digits of the identifiers the register uses (SPEC §2.3). Pure functions, no I/O.
 */

const DIGITS_11 = /^[0-9]{11}$/
const DIGITS_12 = /^[0-9]{12}$/
const DIGITS_6 = /^[0-9]{6}$/

/**
 * 個人番号 check digit (行政手続における特定の個人を識別するための番号の利用等に関する法律施行令 8条 /
 * 総務省令): for the first 11 digits, Pn is the n-th digit counted from the right, Qn = n+1 for
 * 1 ≤ n ≤ 6 and n−5 for 7 ≤ n ≤ 11; check = 11 − (Σ Pn·Qn mod 11), or 0 when the remainder ≤ 1.
 */
export function kojinBangoCheckDigit (first11: string): number {
  if (!DIGITS_11.test(first11)) throw new RangeError('expected 11 digits')
  let sum = 0
  for (let n = 1; n <= 11; n++) {
    const p = first11.charCodeAt(11 - n) - 48
    const q = n <= 6 ? n + 1 : n - 5
    sum += p * q
  }
  const r = sum % 11
  return r <= 1 ? 0 : 11 - r
}

/** True when `s` is 12 digits whose last is the 個人番号 check digit of the first 11. */
export function isValidKojinBango (s: string): boolean {
  return DIGITS_12.test(s) && kojinBangoCheckDigit(s.slice(0, 11)) === s.charCodeAt(11) - 48
}

/**
 * 地方公共団体コード check digit (総務省「全国地方公共団体コード」, JIS X 0402 の検査数字):
 * the last digit of 11 − ((6a + 5b + 4c + 3d + 2e) mod 11) over the first five digits a..e.
 */
export function municipalityCheckDigit (first5: string): number {
  if (!/^[0-9]{5}$/.test(first5)) throw new RangeError('expected 5 digits')
  let sum = 0
  for (let i = 0; i < 5; i++) sum += (first5.charCodeAt(i) - 48) * (6 - i)
  return (11 - (sum % 11)) % 10
}

/** True when `s` is 6 digits whose last is the 地方公共団体コード check digit of the first 5. */
export function isValidMunicipalityCode (s: string): boolean {
  return DIGITS_6.test(s) && municipalityCheckDigit(s.slice(0, 5)) === s.charCodeAt(5) - 48
}

/**
 * The optional 住民票コード check digit (SPEC §2.3: our sources do not publish the real rule, so
 * this is configurable and off by default): modulus 11 with weights 2..7 repeating from the right
 * over the first 10 digits; check = 11 − (sum mod 11), 0 when the remainder ≤ 1.
 */
export function juminhyoCodeCheckDigit (first10: string): number {
  if (!/^[0-9]{10}$/.test(first10)) throw new RangeError('expected 10 digits')
  let sum = 0
  for (let n = 1; n <= 10; n++) {
    const p = first10.charCodeAt(10 - n) - 48
    sum += p * (((n - 1) % 6) + 2)
  }
  const r = sum % 11
  return r <= 1 ? 0 : 11 - r
}

/** Shape of a 住民票コード (11 digits), plus the modulus-11 check digit when `checkDigit` is on. */
export function isValidJuminhyoCode (s: string, checkDigit = false): boolean {
  if (!DIGITS_11.test(s)) return false
  return !checkDigit || juminhyoCodeCheckDigit(s.slice(0, 10)) === s.charCodeAt(10) - 48
}
