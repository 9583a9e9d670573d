// Retention terms (SPEC §2.5): 150 years counted as 民法140条/143条 count years.
import t from 'tap'
import { jstDateOf, lastDayOfTerm, lastDueEventDate, lastExpiredPeriod, termEnded } from '../../../server/src/domain/retention.ts'

t.test('a term of years ends the day before the corresponding day, counted from the day after the event', async (t) => {
  t.equal(lastDayOfTerm('2026-11-29', 150), '2176-11-29')
  t.equal(lastDayOfTerm('2026-12-31', 150), '2176-12-31')
  t.equal(lastDayOfTerm('2026-01-01', 7), '2033-01-01')
  // 民法143条2項: the first day 2028-02-29 has no corresponding day in 2178 → end of that February.
  t.equal(lastDayOfTerm('2028-02-28', 150), '2178-02-28')
  t.equal(lastDayOfTerm('2028-02-29', 150), '2178-02-28')
  t.equal(lastDayOfTerm('2028-02-28', 4), '2032-02-28', 'a leap year: the corresponding 2/29 exists, the term ends the day before')
  t.throws(() => lastDayOfTerm('2026-13-01', 150))
  t.throws(() => lastDayOfTerm('2026-01-01', 0))
})

t.test('readable on the last day, due the day after', async (t) => {
  t.equal(termEnded('2176-11-29', '2176-11-29'), false)
  t.equal(termEnded('2176-11-29', '2176-11-30'), true)
})

t.test('the acts of a month are due once their years have run from the end of the month', async (t) => {
  t.equal(lastExpiredPeriod('2033-12-01', 7), '2026-11')
  t.equal(lastExpiredPeriod('2033-11-30', 7), '2026-10')
  t.equal(lastExpiredPeriod('2033-01-15', 7), '2025-12')
  // Cross-check against the term rule: 2026-11's last day is 11-30; due when today > lastDayOfTerm(11-30, 7).
  t.equal(lastDayOfTerm('2026-11-30', 7), '2033-11-30')
})

t.test('the date in Japan', async (t) => {
  t.equal(jstDateOf(new Date('2026-11-29T14:59:59Z')), '2026-11-29')
  t.equal(jstDateOf(new Date('2026-11-29T15:00:00Z')), '2026-11-30')
})

t.test('the latest event whose term has ended', async (t) => {
  t.equal(lastDueEventDate('2176-11-30', 150), '2026-11-29')
  t.equal(lastDueEventDate('2176-11-29', 150), '2026-11-28')
  t.equal(lastDueEventDate('2178-03-01', 150), '2028-02-29', 'both 2/28 and 2/29 of 2028 end on 2178-02-28')
  t.equal(lastDueEventDate('2178-02-28', 150), '2028-02-27')
  for (const today of ['2176-01-01', '2176-03-01', '2177-02-28', '2180-12-31']) {
    const e = lastDueEventDate(today, 150)
    t.ok(termEnded(lastDayOfTerm(e, 150), today) && !termEnded(lastDayOfTerm(nextDay(e), 150), today), `maximal for ${today}`)
  }
})

function nextDay (d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}
