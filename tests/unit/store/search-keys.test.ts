// The search index keys (SPEC §4, §6): which key a query uses, and that a record's keys contain it —
// since views v5 three per resident: `N ‖ B'` (a かな query's key is that key, or with no date its prefix), `B`, `K`.
import t from 'tap'
import { DATE_TOKEN_BYTES, isKanaInput, normalizeKana, normalizeKanjiName, querySearchKey, recordSearchKeys, type SearchDomain } from '../../../server/src/store/search-keys.ts'

const token = (domain: SearchDomain, value: string): Buffer => Buffer.from(`${domain}:${value}`)
const record = { nameKana: 'ヤマダ　タロウ', nameKanji: '山田　太郎', birthDate: '1990-04-01' }
const keys = recordSearchKeys(token, record).map((k) => k.toString())
const dateToken = token('B', '1990-04-01').subarray(0, DATE_TOKEN_BYTES).toString()

t.test('a record has its three keys: かな ‖ date, date, 漢字', async (t) => {
  t.same(keys, ['B:1990-04-01', `N:ヤマタタロウ${dateToken}`, 'K:山田太郎'])
})

t.test('a record without かな has the date and 漢字 keys only', async (t) => {
  t.same(recordSearchKeys(token, { nameKana: '', nameKanji: '山田太郎', birthDate: '1990-04-01' }).map((k) => k.toString()), ['B:1990-04-01', 'K:山田太郎'])
  t.same(recordSearchKeys(token, { nameKana: '', nameKanji: '', birthDate: '1990-04-01' }).map((k) => k.toString()), ['B:1990-04-01'], 'no name at all: the date')
})

t.test('each query finds the record under one of its keys, or as the prefix of one', async (t) => {
  const exact = [
    { name: 'やまだ たろう', birthDate: '1990-04-01' }, // kana + date: N ‖ B'
    { name: '山田太郎', birthDate: '1990-04-01' }, // kanji + date: B (narrowed by the name)
    { name: '', birthDate: '1990-04-01' }, // address + date: B
    { name: '山田 太郎', birthDate: '' } // kanji + address: K (requirements H5)
  ]
  for (const q of exact) t.ok(keys.includes(querySearchKey(token, q)?.toString() ?? ''), JSON.stringify(q))
  const kanaOnly = querySearchKey(token, { name: 'ヤマダタロウ', birthDate: '' })?.toString() ?? '' // kana + address: N
  t.equal(kanaOnly, 'N:ヤマタタロウ')
  t.equal(keys.filter((k) => k.startsWith(kanaOnly)).length, 1, 'a かな-only query reads the prefix of the record\'s かな ‖ date key')
  t.notOk(keys.includes(querySearchKey(token, { name: 'ヤマダタロウ', birthDate: '1991-04-01' })?.toString() ?? ''), 'another date: another key')
  t.equal(querySearchKey(token, { name: '', birthDate: '' }), undefined, 'no key without a name or a date')
  t.equal(querySearchKey(token, { name: '山田太郎', birthDate: '' })?.toString(), 'K:山田太郎', 'a 漢字氏名 without a date uses its own key')
})

t.test('normalisation', async (t) => {
  t.ok(isKanaInput('やまだ たろう'))
  t.ok(isKanaInput('ヤマダ・タロウ'))
  t.notOk(isKanaInput('山田太郎'))
  t.equal(normalizeKana('やまだ　たろう'), 'ヤマダタロウ')
  t.equal(normalizeKanjiName('山田　太郎'), '山田太郎')
})
