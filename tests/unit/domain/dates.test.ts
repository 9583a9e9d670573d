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

t.test('edges: leap years, month and day ranges, the minimum year, fractions, offsets, case, line ends', async (t) => {
  const dates: Record<string, boolean> = {
    '2400-02-29': true,
    '2100-02-29': false,
    '1800-02-29': false,
    '1804-02-29': true,
    '1800-01-01': true,
    '1799-01-01': false,
    '0000-01-01': false,
    '2024-01-31': true,
    '2024-03-31': true,
    '2024-06-31': false,
    '2024-09-31': false,
    '2024-11-31': false,
    '2024-12-31': true,
    '2024-12-32': false,
    '2024-02-28': true,
    '2024-01-01\n': false,
    '2024-01-01 ': false,
    '2024-01-0a': false,
    '2024-01-1': false,
    '2024-001-01': false,
    '+2024-01-01': false,
    '-2024-01-01': false
  }
  for (const [d, ok] of Object.entries(dates)) t.equal(isIsoDate(d), ok, JSON.stringify(d))
  const dateTimes: Record<string, boolean> = {
    '2024-05-31T00:00:00Z': true,
    '2024-05-31T23:59:59Z': true,
    '2024-05-31T23:59:59-00:00': true,
    '2024-05-31T23:59:59+23:59': true,
    '2024-05-31T23:59:59-23:59': true,
    '2024-05-31T23:59:59-24:00': false,
    '2024-05-31T10:15:00.1Z': true,
    '2024-05-31T10:15:00.123456789Z': true,
    '2024-05-31T10:15:00.1234567890Z': false,
    '2024-05-31T10:15:00.Z': false,
    '2024-05-31T10:15:00,5Z': false,
    '2024-05-31t10:15:00Z': false,
    '2024-05-31T10:15:00z': false,
    '2024-05-31T10:15:00Z\n': false,
    '2024-05-31T10:15:00ZZ': false,
    '2024-05-31T10:15:00+09:00Z': false,
    '2024-05-31T10:15:00+09': false,
    '2024-05-31T10:15:00+9:00': false,
    '2024-05-31T10:15:00+09:0': false,
    '2024-05-31T10:15:00+09:000': false,
    '2024-05-31T1:15:00Z': false,
    '2024-05-31T10:5:00Z': false,
    '2024-05-31T10:15:0Z': false,
    '2024-02-29T10:15:00Z': true,
    '2100-02-29T10:15:00Z': false,
    '1799-12-31T23:59:59Z': false,
    '2024-05-31T10:15:00': false,
    '2024-05-31TZ': false
  }
  for (const [s, ok] of Object.entries(dateTimes)) t.equal(isIsoDateTime(s), ok, JSON.stringify(s))
  // Not a string (an Update built in-process): read as its string, as the regular expressions did.
  t.equal(isIsoDate(undefined as unknown as string), false)
  t.equal(isIsoDateTime(null as unknown as string), false)
})

// The regular expressions the checks were first written with: the character-by-character checks
// must accept exactly what they accepted.
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/
const DATE_TIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?(Z|[+-]([0-9]{2}):([0-9]{2}))$/

function referenceDate (s: string): boolean {
  const m = DATE.exec(s)
  if (m === null) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (year < MIN_YEAR || month < 1 || month > 12) return false
  return day >= 1 && day <= daysInMonth(year, month)
}

function referenceDateTime (s: string): boolean {
  const m = DATE_TIME.exec(s)
  if (m === null) return false
  if (!referenceDate(m[1] ?? '')) return false
  if (Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return false
  if (m[6] === 'Z') return true
  return Number(m[7]) <= 23 && Number(m[8]) <= 59
}

/** A deterministic stream of numbers, so a failure can be reproduced. */
function prng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
}

t.test('every year edge, month and day: the same answer as the regular expressions', async (t) => {
  let differ = 0
  for (const year of ['0000', '1799', '1800', '1900', '1996', '2000', '2023', '2024', '2100', '2400', '9999']) {
    for (let month = 0; month <= 13; month++) {
      for (let day = 0; day <= 32; day++) {
        const d = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
        if (isIsoDate(d) !== referenceDate(d)) { differ++; t.fail(d) }
        const dt = `${d}T12:00:00Z`
        if (isIsoDateTime(dt) !== referenceDateTime(dt)) { differ++; t.fail(dt) }
      }
    }
  }
  for (const hour of ['00', '09', '23', '24', '99']) {
    for (const minute of ['00', '59', '60']) {
      for (const fraction of ['', '.', '.0', '.123456789', '.1234567890', ',5']) {
        for (const zone of ['Z', 'z', '', '+00:00', '-00:00', '+09:00', '+23:59', '-24:00', '+09:60', '+0900', '+09', 'Z+09:00', '+09:00Z']) {
          const s = `2024-02-29T${hour}:${minute}:${minute}${fraction}${zone}`
          if (isIsoDateTime(s) !== referenceDateTime(s)) { differ++; t.fail(s) }
        }
      }
    }
  }
  t.equal(differ, 0)
})

t.test('mutated dates and date-times: the same answer as the regular expressions', async (t) => {
  const next = prng(20_261_122)
  const alphabet = '0123456789-:T Z+.zt\n２'
  const seeds = ['2024-02-29', '1800-01-01', '2024-05-31T10:15:00+09:00', '2024-05-31T23:59:59.123456789Z', '2000-02-29T00:00:00-23:59']
  let accepted = 0
  for (let i = 0; i < 20_000; i++) {
    const chars = [...(seeds[i % seeds.length] as string)]
    const edits = 1 + (next() % 3)
    for (let e = 0; e < edits; e++) {
      const at = next() % (chars.length + 1)
      const c = alphabet[next() % alphabet.length] as string
      const op = next() % 3
      if (op === 0) chars[at] = c
      else if (op === 1) chars.splice(at, 0, c)
      else chars.splice(at, 1)
    }
    const s = chars.join('')
    const date = isIsoDate(s)
    const dateTime = isIsoDateTime(s)
    if (date !== referenceDate(s) || dateTime !== referenceDateTime(s)) t.fail(JSON.stringify(s))
    if (date || dateTime) accepted++
  }
  t.ok(accepted > 500, `some mutations are still valid (${accepted})`)
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
