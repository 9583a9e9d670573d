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

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/
const DATE_TIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?(Z|[+-]([0-9]{2}):([0-9]{2}))$/

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
  const m = DATE.exec(s)
  if (m === null) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (year < MIN_YEAR || month < 1 || month > 12) return false
  return day >= 1 && day <= daysInMonth(year, month)
}

/**
 * True when `s` is `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`: a valid calendar date, hours 00–23,
 * minutes and seconds 00–59 (no leap second: the CS clocks are NTP-smeared), offset up to ±23:59.
 * A date-time without an offset is refused: local time would be ambiguous across the network.
 */
export function isIsoDateTime (s: string): boolean {
  const m = DATE_TIME.exec(s)
  if (m === null) return false
  if (!isIsoDate(m[1] ?? '')) return false
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false
  if (m[6] === 'Z') return true
  return Number(m[7]) <= 23 && Number(m[8]) <= 59
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
