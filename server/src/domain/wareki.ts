/**
 * 和暦 (Japanese era dates) — a display concern only (SPEC §2.3: on the wire dates are ISO 8601).
 * Eras by the day they began (元号法; 令和: 政令第143号 (2019), 平成: 政令第1号 (1989), 昭和・大正:
 * 改元の詔書; 明治: 改元の詔 of 1868 — with the Gregorian calendar from 明治6年 (1873-01-01), which
 * is where a Gregorian date can be given a 明治 year without a lunisolar conversion). The first year of
 * an era is written 元年. Dates before 1873 are written in 西暦.
 */
import { isIsoDate } from './dates.ts'

interface Era {
  readonly name: string
  readonly first: string
  readonly baseYear: number
}

/** Newest first. `baseYear` is the Gregorian year of 元年. */
const ERAS: readonly Era[] = [
  { name: '令和', first: '2019-05-01', baseYear: 2019 },
  { name: '平成', first: '1989-01-08', baseYear: 1989 },
  { name: '昭和', first: '1926-12-25', baseYear: 1926 },
  { name: '大正', first: '1912-07-30', baseYear: 1912 },
  { name: '明治', first: '1873-01-01', baseYear: 1868 }
]

/** The parts of a 和暦 date. */
export interface WarekiDate {
  readonly era: string
  readonly year: number
  readonly month: number
  readonly day: number
}

/** The era and year of an ISO date, or undefined before 明治6年 (1873). */
export function toWareki (isoDate: string): WarekiDate | undefined {
  if (!isIsoDate(isoDate)) throw new RangeError('not an ISO 8601 calendar date')
  const era = ERAS.find((e) => isoDate >= e.first)
  if (era === undefined) return undefined
  return { era: era.name, year: Number(isoDate.slice(0, 4)) - era.baseYear + 1, month: Number(isoDate.slice(5, 7)), day: Number(isoDate.slice(8, 10)) }
}

/** 令和8年11月29日 (元年 for the first year); 西暦 before 1873. Empty input stays empty. */
export function formatWareki (isoDate: string): string {
  if (isoDate === '') return ''
  const w = toWareki(isoDate)
  if (w === undefined) return `${Number(isoDate.slice(0, 4))}年${Number(isoDate.slice(5, 7))}月${Number(isoDate.slice(8, 10))}日`
  return `${w.era}${w.year === 1 ? '元' : String(w.year)}年${w.month}月${w.day}日`
}
