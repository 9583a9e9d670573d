// A1.11 / H1: a registration ends at the latest on 30 April of the next fiscal year (Japan time).
import t from 'tap'
import { isExpired, japanDay, registrationExpiry } from '../../../../server/src/store/terminal/fiscal.ts'

t.test('the expiry of a registration by the date it was made (JST)', async (t) => {
  const cases: Array<[string, string]> = [
    ['2026-04-01T00:00:00+09:00', '2027-04-30'], // first day of FY2026
    ['2026-06-01T10:00:00+09:00', '2027-04-30'],
    ['2027-03-31T23:59:59+09:00', '2027-04-30'], // last day of FY2026
    ['2027-04-01T00:00:00+09:00', '2028-04-30'], // first day of FY2027
    ['2027-03-31T15:30:00Z', '2028-04-30'] // already 1 April in Japan
  ]
  for (const [at, expires] of cases) t.equal(registrationExpiry(new Date(at)), expires, at)
})

t.test('valid through 30 April (JST), expired from 1 May', async (t) => {
  t.notOk(isExpired('2027-04-30', new Date('2027-04-30T23:59:59+09:00')))
  t.ok(isExpired('2027-04-30', new Date('2027-05-01T00:00:00+09:00')))
  t.equal(japanDay(new Date('2027-04-30T15:00:00Z')), '2027-05-01')
})
