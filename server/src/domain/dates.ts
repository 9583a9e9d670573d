/**
 * Dates on the wire (SPEC §2.3): ISO 8601 calendar dates `YYYY-MM-DD` (extended format, proleptic
 * Gregorian calendar) and date-times with an explicit offset (RFC 3339 profile of ISO 8601).
 * 和暦 is a display concern and never appears here. Pure functions, no clock: "today" is a parameter.
 */

/**
 * Earliest year accepted. The oldest person alive was born after 1900; 1800 leaves room for
 * historical records (消除者 are kept 150 years, SPEC §2.5) while catching garbage such as year 0001.
 */
export const MIN_YEAR = 1800

// The two formats are read character by character rather than with a regular expression and
// Number(): both checks run for every update on the gateway's hot path. Only ASCII digits count.
const ZERO = 0x30
const HYPHEN = 0x2d
const COLON = 0x3a
const DOT = 0x2e
const PLUS = 0x2b
const T = 0x54
const Z = 0x5a

/** True for a leap year of the Gregorian calendar (divisible by 4, except centuries not divisible by 400). */
export function isLeapYear (year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth (year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * True when `s` is a real calendar date `YYYY-MM-DD` with year ≥ {@link MIN_YEAR}
 * (so 1900-02-29 is refused, 2000-02-29 accepted; month 13 and day 0 are refused).
 */
export function isIsoDate (s: string): boolean {
  // RegExp.exec, which these functions used, read any argument as a string: so do they.
  if (typeof s !== 'string') return isIsoDate(String(s))
  return s.length === 10 && isDateAt(s, 0)
}

/** The value of the ASCII digit at `i` of `s`, or -1 (also past the end). */
function digitAt (s: string, i: number): number {
  const d = s.charCodeAt(i) - ZERO // NaN past the end
  return d >= 0 && d <= 9 ? d : -1
}

/** The value of the two ASCII digits at `i` of `s`, or -1. */
function twoDigitsAt (s: string, i: number): number {
  const a = digitAt(s, i)
  const b = digitAt(s, i + 1)
  return a < 0 || b < 0 ? -1 : a * 10 + b
}

/** True when `s` holds a valid `YYYY-MM-DD` (as {@link isIsoDate}) at `i`. */
function isDateAt (s: string, i: number): boolean {
  const hi = twoDigitsAt(s, i)
  const lo = twoDigitsAt(s, i + 2)
  if (hi < 0 || lo < 0 || s.charCodeAt(i + 4) !== HYPHEN || s.charCodeAt(i + 7) !== HYPHEN) return false
  const year = hi * 100 + lo
  const month = twoDigitsAt(s, i + 5)
  const day = twoDigitsAt(s, i + 8)
  if (year < MIN_YEAR || month < 1 || month > 12) return false
  return day >= 1 && day <= daysInMonth(year, month)
}

/**
 * True when `s` is `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`: a valid calendar date, hours 00–23,
 * minutes and seconds 00–59 (no leap second: the CS clocks are NTP-smeared), offset up to ±23:59.
 * A date-time without an offset is refused: local time would be ambiguous across the network.
 */
export function isIsoDateTime (s: string): boolean {
  if (typeof s !== 'string') return isIsoDateTime(String(s))
  // YYYY-MM-DDThh:mm:ss, then at least Z
  if (s.length < 20 || !isDateAt(s, 0) || s.charCodeAt(10) !== T) return false
  if (!isClockAt(s, 11, 23) || s.charCodeAt(16) !== COLON) return false
  const second = twoDigitsAt(s, 17)
  if (second < 0 || second > 59) return false
  let i = 19
  if (s.charCodeAt(i) === DOT) {
    let digits = 0
    while (digitAt(s, i + 1 + digits) >= 0) digits++
    if (digits < 1 || digits > 9) return false
    i += 1 + digits
  }
  const zone = s.charCodeAt(i)
  if (zone === Z) return s.length === i + 1
  return (zone === PLUS || zone === HYPHEN) && s.length === i + 6 && isClockAt(s, i + 1, 23)
}

/** True when `s` holds `hh:mm` at `i`, hours 00–`maxHour`, minutes 00–59. */
function isClockAt (s: string, i: number, maxHour: number): boolean {
  const hour = twoDigitsAt(s, i)
  const minute = twoDigitsAt(s, i + 3)
  return hour >= 0 && hour <= maxHour && s.charCodeAt(i + 2) === COLON && minute >= 0 && minute <= 59
}

/**
 * Compare two valid ISO calendar dates: negative when `a` is earlier, 0 when equal, positive when later.
 * Four-digit years make the textual order the calendar order.
 */
export function compareDates (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** True when date `a` is strictly after date `b` (both valid ISO calendar dates). */
export function isAfter (a: string, b: string): boolean {
  return compareDates(a, b) > 0
}

/** True when date `a` is strictly before date `b` (both valid ISO calendar dates). */
export function isBefore (a: string, b: string): boolean {
  return compareDates(a, b) < 0
}

/** Milliseconds since the epoch of a valid ISO date-time with offset (see {@link isIsoDateTime}). */
export function dateTimeToEpochMs (s: string): number {
  if (!isIsoDateTime(s)) throw new RangeError('expected an ISO 8601 date-time with offset')
  return Date.parse(s)
}

/** Compare two valid ISO date-times by the instant they denote (offsets applied). */
export function compareDateTimes (a: string, b: string): number {
  return Math.sign(dateTimeToEpochMs(a) - dateTimeToEpochMs(b))
}
