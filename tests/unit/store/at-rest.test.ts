// No personal data in clear in the LevelDB files (SPEC §2.5, §4): after appending — with the write-
// ahead log still open — and after close and compaction, no file under the database directory holds
// a resident's name (UTF-8), 個人番号, 住民票コード or address.
import t from 'tap'
import path from 'node:path'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { ChangeReason } from '../../../proto/src/types.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, fuhyo, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { withRaw } from './raw.ts'
import { DATABASES } from '../../../server/src/store/layout.ts'

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? files(full) : [full]
  })
}

/** The needles found in any file under `dir`. */
function grep (dir: string, needles: readonly string[]): string[] {
  const contents = files(dir).map((f) => readFileSync(f))
  return needles.filter((needle) => contents.some((c) => c.includes(Buffer.from(needle, 'utf8'))))
}

const RESIDENTS = Array.from({ length: 20 }, (_, i) => person(i + 1, { nameKanji: `鳳凰院${'一二三四五六七八九十'[i % 10] ?? ''}${i}郎`, nameKana: `ホウオウイン${'イチニサンシゴロクシチハチクジュウ'.slice(i % 5, (i % 5) + 2)}`, address: `福岡県福岡市博多区秘密町${i + 1}番地` }))

const NEEDLES = RESIDENTS.flatMap((p) => [p.nameKanji, p.kojinBango, p.juminhyoCode, p.address, p.nameKana])

t.test('the files hold no name, 個人番号, 住民票コード or address in clear', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  for (const p of RESIDENTS) await store.append([item(cs.identity(p))])
  await store.append(RESIDENTS.slice(0, 5).map((p, i) => item(cs.identity({ ...p, changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: `${p.address}の${i}` }))))
  await store.append([item(cs.fuhyo({ ...fuhyo(1, FUKUOKA), nameKanji: RESIDENTS[0]?.nameKanji ?? '', address: RESIDENTS[0]?.address ?? '', lastAddress: RESIDENTS[0]?.address ?? '' }))])
  // A refused update of a person the store does not know is sealed too.
  await store.append([item(cs.identity({ ...person(999), nameKanji: '鳳凰院未知郎', changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01' }))])
  t.same(grep(location, ['401307']), ['401307'], 'control: grep finds what is in clear (市町村コード in keys)')
  t.same(grep(location, [...NEEDLES, '鳳凰院未知郎']), [], 'nothing found with the write-ahead log open')
  t.equal((await store.getCurrent(RESIDENTS[0]?.juminhyoCode ?? ''))?.nameKanji, RESIDENTS[0]?.nameKanji, 'yet the store reads it back')
  await store.rebuild({ actor: 'admin01', approver: '' })
  await store.close()
  for (const database of DATABASES) await withRaw(location, async (raw) => await raw.compactRange(Buffer.from([0]), Buffer.from([0xff])), database)
  t.same(grep(location, [...NEEDLES, '鳳凰院未知郎']), [], 'nothing found after rebuild, close and compaction')
})
