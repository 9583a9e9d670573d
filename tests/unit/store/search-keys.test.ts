// The search index keys (SPEC §4, §6): which key a query uses, and that a record's keys contain it.
import t from 'tap'
import { isKanaInput, normalizeKana, normalizeKanjiName, querySearchKey, recordSearchKeys, type SearchDomain } from '../../../server/src/store/search-keys.ts'

const token = (domain: SearchDomain, value: string): Buffer => Buffer.from(`${domain}:${value}`)
const record = { nameKana: 'ヤマダ　タロウ', nameKanji: '山田　太郎', birthDate: '1990-04-01' }
const keys = recordSearchKeys(token, record).map((k) => k.toString())

t.test('a record has its four keys', async (t) => {
  t.same(keys.sort(), ['B:1990-04-01', 'K:山田太郎', 'N:ヤマタタロウ', 'S:ヤマタタロウ\u00001990-04-01'].sort())
})

t.test('each query finds the record under one of its keys', async (t) => {
  const queries = [
    { name: 'やまだ たろう', birthDate: '1990-04-01' }, // kana + date: S
    { name: 'ヤマダタロウ', birthDate: '' }, // kana + address: N
    { name: '山田太郎', birthDate: '1990-04-01' }, // kanji + date: B (narrowed by the name)
    { name: '', birthDate: '1990-04-01' }, // address + date: B
    { name: '山田 太郎', birthDate: '' } // kanji + address: K (requirements H5)
  ]
  for (const q of queries) t.ok(keys.includes(querySearchKey(token, q)?.toString() ?? ''), JSON.stringify(q))
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
