/**
 * Ages and dates. The age pyramid is the shape of Japan's 2020 census (thousands per five-year band,
 * 0–4 … 100+): wide at 45–54 and 65–74 (the two baby-boom generations), narrow among the young.
 * Dates are handled as days since 1970-01-01 (calendar arithmetic, no time zones).
 */
import { type Rng, WeightedTable } from './prng.ts'

const BANDS_2020 = [4541, 5114, 5376, 5706, 6320, 6384, 6714, 7498, 8476, 9868, 8738, 7940, 7442, 8236, 9189, 7065, 5407, 3750, 1792, 481, 80]

const bandTable = new WeightedTable(BANDS_2020.map((w, i) => [i, w] as const))

/** An age in whole years drawn from the 2020 pyramid (0–104). */
export function pickAge (rng: Rng): number {
  return bandTable.pick(rng) * 5 + rng.int(5)
}

/**
 * Days since the epoch of `YYYY-MM-DD` (proleptic Gregorian), by integer arithmetic
 * (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil): the initial load of
 * 5 M residents cannot afford Date.parse per resident.
 */
export function toDays (date: string): number {
  let y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  if (m <= 2) y -= 1
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** `YYYY-MM-DD` of a day number (civil_from_days, the inverse of {@link toDays}). */
export function fromDays (days: number): string {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

/** The same calendar day `years` earlier (29 Feb falls back to 28 Feb). */
export function yearsBefore (date: string, years: number): string {
  const y = Number(date.slice(0, 4)) - years
  const md = date.slice(5)
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  return `${String(y).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`
}

/** A birth date of someone exactly `age` years old on `asOf`, uniformly over that year of life. */
export function birthDateFor (rng: Rng, age: number, asOf: string): string {
  const latest = toDays(yearsBefore(asOf, age))
  const earliest = toDays(yearsBefore(asOf, age + 1)) + 1
  return fromDays(earliest + rng.int(latest - earliest + 1))
}

/** Whole years between `birth` and `on`. */
export function ageOn (birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4))
  return on.slice(5) < birth.slice(5) ? years - 1 : years
}
