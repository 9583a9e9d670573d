/**
 * Retention terms (SPEC §2.5). Pure functions, no clock: "today" is a parameter.
 * - History (pre-change records) and removed persons, incl. the deceased's 個人番号: 150 years
 *   (住基法施行令30条の6; requirements E1, E2), each record from its own event.
 * - Provision records and operation history: at least 7 years (SPEC §2.5, §6), configurable.
 * A term is counted as the Civil Code counts periods in years: the day of the event is not counted
 * (民法140条 初日不算入), and the term ends at the end of the day before the day of the last year that
 * corresponds to its first day, or at the end of that month when it has no such day (民法143条2項).
 * A record is readable through its term's last day and erased on any day after it (E3, H23).
 */
import { daysInMonth, isIsoDate } from './dates.ts'

/** 住基法施行令30条の6: history and removed persons are kept 150 years. */
export const RECORD_RETENTION_YEARS = 150
/** SPEC §2.5: provision records and operation history are kept at least 7 years. */
export const MIN_ACT_RETENTION_YEARS = 7

/** The date in Japan (UTC+9, no DST) of an instant. */
export function jstDateOf (instant: Date): string {
  return new Date(instant.getTime() + 9 * 3600_000).toISOString().slice(0, 10)
}

/** The last day (YYYY-MM-DD) of a term of `years` years that runs from an event on `eventDate`. */
export function lastDayOfTerm (eventDate: string, years: number): string {
  if (!isIsoDate(eventDate)) throw new RangeError('eventDate must be YYYY-MM-DD')
  if (!Number.isInteger(years) || years < 1) throw new RangeError('years must be a positive integer')
  const first = addDays(eventDate, 1) // 民法140条: the first day is the day after the event
  const year = Number(first.slice(0, 4)) + years
  const month = Number(first.slice(5, 7))
  const day = Number(first.slice(8, 10))
  // 民法143条2項: no corresponding day in the last month → the term ends on that month's last day.
  if (day > daysInMonth(year, month)) return iso(year, month, daysInMonth(year, month))
  return addDays(iso(year, month, day), -1)
}

/**
 * The latest event date whose term of `years` has ended on `today`: every event on or before it is
 * due. lastDayOfTerm grows with the event date, so the answer is found a few days around
 * today − years.
 */
export function lastDueEventDate (today: string, years: number): string {
  let candidate = addDays(iso(Number(today.slice(0, 4)) - years, Number(today.slice(5, 7)), Math.min(Number(today.slice(8, 10)), 28)), 4)
  while (!termEnded(lastDayOfTerm(candidate, years), today)) candidate = addDays(candidate, -1)
  return candidate
}

/** True when the term whose last day is `lastDay` has ended on `today` (today is after it). */
export function termEnded (lastDay: string, today: string): boolean {
  return today > lastDay
}

/**
 * The last period (YYYY-MM) whose acts' retention has ended on `today`: a month's acts are kept
 * `years` years from the end of that month (counted like any term, from its last day).
 */
export function lastExpiredPeriod (today: string, years: number): string {
  let year = Number(today.slice(0, 4)) - years
  let month = Number(today.slice(5, 7))
  // A month M of year Y: its last day D; its acts are due once today > lastDayOfTerm(D, years),
  // i.e. from the first day of month M+1 of year Y+years on. So the months strictly before
  // (today's month − years) are due, and today's month − years itself once its successor began.
  month -= 1
  if (month === 0) { month = 12; year -= 1 }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`
}

function addDays (date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000
  return new Date(t).toISOString().slice(0, 10)
}

function iso (year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
