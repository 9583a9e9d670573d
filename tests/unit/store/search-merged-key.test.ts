// The merged search key (search-keys.ts, views v5): PRF_N(清音化かな) ‖ PRF_B(生年月日)'s first 8 bytes ‖
// resident number. A 氏名 + 生年月日 query reads the range of the whole かな ‖ date prefix and finds the
// residents S = PRF(清音化かな ‖ 生年月日) found up to views v4; a かな-only query reads the range of
// PRF_N and finds every resident of that かな, whatever the date, in the order they were registered.
import t from 'tap'
import path from 'node:path'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { dumpSpaces } from './raw.ts'

const KANA_A = 'ヤマダタロウ'
const KANA_B = 'サトウハナコ'
const people = [
  person(1, { nameKana: KANA_A, nameKanji: '山田太郎', birthDate: '1980-01-02' }),
  person(2, { nameKana: KANA_A, nameKanji: '山田太郎', birthDate: '1985-03-04' }), // same かな, another date
  person(3, { nameKana: KANA_B, nameKanji: '佐藤花子', birthDate: '1980-01-02' }), // same date, another かな
  person(4, { nameKana: 'ヤマタ　タロウ', nameKanji: '山田太朗', birthDate: '1980-01-02' }), // person 1's 清音化かな and date
  person(5, { nameKana: '', nameKanji: '鈴木一郎', birthDate: '1999-09-09' }) // no かな: B and K only
]

t.test('かな + date and かな-only queries find exactly their residents through the merged key', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  let closed = false
  t.teardown(async () => { if (!closed) await store.close() })
  const cs = new Cs(FUKUOKA)
  await store.append(people.map((p) => item(cs.identity(p))))
  const found = async (name: string, birthDate: string, limit = 10): Promise<string[]> => {
    const numbers = await store.searchResidents({ name, birthDate }, limit)
    t.ok(numbers.every((n) => n.length === 8), 'hits are resident numbers')
    return await Promise.all(numbers.map(async (n) => (await store.getCurrentByNumber(n))?.juminhyoCode ?? '?'))
  }
  const codes = (...i: number[]): string[] => i.map((n) => people[n - 1]?.juminhyoCode ?? '')
  t.same(await found(KANA_A, '1980-01-02'), codes(1, 4), '氏名 + 生年月日: the same 清音化かな and date only')
  t.same(await found('やまだ たろう', '1985-03-04'), codes(2), 'the same かな, the other date')
  t.same(await found(KANA_B, '1980-01-02'), codes(3), 'the same date, another かな')
  t.same(await found(KANA_B, '1985-03-04'), [], 'a かな and a date no one has together')
  t.same(await found(KANA_A, ''), codes(1, 2, 4), 'かな only: every date, in the order they were registered')
  t.same(await found(KANA_B, ''), codes(3))
  t.equal((await found(KANA_A, '', 2)).length, 2, 'at most the limit: one more than a cap of 1 tells "narrow the conditions"')
  t.same(await found('', '1980-01-02'), codes(1, 3, 4), 'date only: key B')
  t.same(await found('', '1999-09-09'), codes(5), 'a resident without かな is found by the date')
  t.same(await found('鈴木一郎', ''), codes(5), 'and by 漢字氏名')
  await store.close()
  closed = true

  // On disk: three keys per resident with a かな (24 bytes for かな ‖ date, 16 for the others, each ‖ 8), two without.
  const rows = (await dumpSpaces(location, ['search'])).search ?? []
  const lengths = rows.map((row) => row.indexOf('=') / 2).sort((a, b) => a - b)
  t.same(lengths, [...Array<number>(4 * 2 + 2).fill(16 + 8), ...Array<number>(4).fill(24 + 8)], '4 × (B, K, N ‖ B\') + (B, K)')
})
