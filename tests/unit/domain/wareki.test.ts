// 和暦 for display (SPEC §2.3, §6 disclosure forms): era boundaries and 元年.
import t from 'tap'
import { formatWareki, toWareki } from '../../../server/src/domain/wareki.ts'

t.test('era boundaries', async (t) => {
  t.equal(formatWareki('2019-04-30'), '平成31年4月30日')
  t.equal(formatWareki('2019-05-01'), '令和元年5月1日')
  t.equal(formatWareki('2026-11-29'), '令和8年11月29日')
  t.equal(formatWareki('1989-01-07'), '昭和64年1月7日')
  t.equal(formatWareki('1989-01-08'), '平成元年1月8日')
  t.equal(formatWareki('1926-12-24'), '大正15年12月24日')
  t.equal(formatWareki('1926-12-25'), '昭和元年12月25日')
  t.equal(formatWareki('1912-07-29'), '明治45年7月29日')
  t.equal(formatWareki('1912-07-30'), '大正元年7月30日')
  t.equal(formatWareki('1873-01-01'), '明治6年1月1日')
  t.equal(formatWareki('1872-12-31'), '1872年12月31日', 'before the Gregorian calendar was adopted: 西暦')
  t.equal(formatWareki(''), '')
  t.same(toWareki('2026-11-29'), { era: '令和', year: 8, month: 11, day: 29 })
  t.throws(() => formatWareki('2026-02-30'))
})
