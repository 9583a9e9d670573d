import t from 'tap'
import {
  compareDates, compareDateTimes, dateTimeToEpochMs, daysInMonth, isAfter, isBefore, isIsoDate, isIsoDateTime, isLeapYear, MIN_YEAR
} from '../../../server/src/domain/dates.ts'

t.test('leap years of the Gregorian calendar', async (t) => {
  t.ok(isLeapYear(2000), '2000: divisible by 400')
  t.notOk(isLeapYear(1900), '1900: century not divisible by 400')
  t.ok(isLeapYear(2024))
  t.notOk(isLeapYear(2023))
  t.equal(daysInMonth(2024, 2), 29)
  t.equal(daysInMonth(2023, 2), 28)
  t.equal(daysInMonth(2023, 4), 30)
  t.equal(daysInMonth(2023, 12), 31)
})

t.test('ISO calendar dates', async (t) => {
  const valid = ['2024-02-29', '2000-02-29', '1980-12-31', '2023-01-01', `${MIN_YEAR}-01-01`, '9999-12-31']
  for (const d of valid) t.ok(isIsoDate(d), d)
  const invalid: Record<string, string> = {
    '2023-02-29': 'Feb 29 in a non-leap year',
    '1900-02-29': '1900 is not a leap year',
    '2024-02-30': 'Feb 30',
    '2024-13-01': 'month 13',
    '2024-00-10': 'month 0',
    '2024-01-00': 'day 0',
    '2024-04-31': 'April 31',
    '2024-01-32': 'day 32',
    '1799-12-31': 'before the minimum year',
    '24-01-01': 'two-digit year',
    '2024-1-01': 'one-digit month',
    '20240101': 'basic format',
    '2024/01/01': 'slashes',
    '2024-01-01T00:00:00Z': 'a date-time',
    ' 2024-01-01': 'leading space',
    '２０２４-01-01': 'full-width digits',
    'R06-01-01': '和暦',
    '': 'empty'
  }
  for (const [d, why] of Object.entries(invalid)) t.notOk(isIsoDate(d), why)
})

t.test('ISO date-times with offset', async (t) => {
  for (const s of ['2024-05-31T10:15:00+09:00', '2024-05-31T01:15:00Z', '2024-05-31T23:59:59.123-05:30', '2000-02-29T00:00:00.123456789+00:00']) {
    t.ok(isIsoDateTime(s), s)
  }
  const invalid: Record<string, string> = {
    '2024-05-31T10:15:00': 'no offset',
    '2024-05-31 10:15:00+09:00': 'space instead of T',
    '2024-05-31T24:00:00+09:00': 'hour 24',
    '2024-05-31T10:60:00+09:00': 'minute 60',
    '2024-05-31T10:15:60+09:00': 'second 60',
    '2024-05-31T10:15+09:00': 'no seconds',
    '2024-05-31T10:15:00+0900': 'offset without colon',
    '2024-05-31T10:15:00+24:00': 'offset hour 24',
    '2024-05-31T10:15:00+09:60': 'offset minute 60',
    '2023-02-29T10:15:00+09:00': 'invalid date part',
    '2024-05-31T10:15:00.+09:00': 'empty fraction',
    '': 'empty'
  }
  for (const [s, why] of Object.entries(invalid)) t.notOk(isIsoDateTime(s), why)
})

t.test('comparisons', async (t) => {
  t.ok(compareDates('2024-01-01', '2024-01-02') < 0)
  t.equal(compareDates('2024-01-01', '2024-01-01'), 0)
  t.ok(compareDates('2024-10-01', '2024-09-30') > 0)
  t.ok(isAfter('2024-06-02', '2024-06-01'))
  t.notOk(isAfter('2024-06-01', '2024-06-01'))
  t.ok(isBefore('1999-12-31', '2000-01-01'))
  t.notOk(isBefore('2000-01-01', '2000-01-01'))
  t.equal(compareDateTimes('2024-05-31T10:00:00+09:00', '2024-05-31T01:00:00Z'), 0, 'the same instant in two offsets')
  t.equal(compareDateTimes('2024-05-31T10:00:00+09:00', '2024-05-31T02:00:00Z'), -1)
  t.equal(dateTimeToEpochMs('1970-01-01T09:00:00+09:00'), 0)
  t.throws(() => dateTimeToEpochMs('2024-05-31T10:00:00'), RangeError)
})
