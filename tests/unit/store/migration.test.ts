// An earlier store migrates itself (issue 17, docs/store-contract.md "Keys that die on time"): views
// of version 1 (no `due` view, no person ids) are rebuilt from the log on open, and the migration is
// an entry in the log. Legacy entries keep their shared key; their terms are counted conservatively.
import t, { type Test } from 'tap'
import path from 'node:path'
import { ChangeReason, LogAdminKind } from '../../../proto/src/types.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, item, juminhyoCode, kojinBango, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { dumpSpaces, withRaw } from './raw.ts'
import { Keyring } from '../../../server/src/store/keyring.ts'
import type { SearchNames } from '../../../server/src/store/blind-index.ts'
import { normalizeKanjiName, type SearchDomain } from '../../../server/src/store/search-keys.ts'
import { toSeionKana } from '../../../server/src/domain/kana.ts'

/**
 * Open the store at `location`, which must migrate: the warning, one REBUILD entry at position 4 that
 * replayed the 3 before it. Returns the open store.
 */
async function openMigrating (t: Test, location: string): Promise<LevelStore> {
  const events: string[] = []
  const logger = { info: () => undefined, warn: (f: Record<string, unknown>) => { events.push(String(f.event)) }, error: () => undefined }
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logger })
  await store.open()
  t.ok(events.includes('store.migration.views'))
  t.equal(store.head().position, 4, 'one entry records the migration')
  let act
  for await (const e of store.entries(4, 4)) act = e.entry.admin
  t.equal(act?.kind, LogAdminKind.REBUILD)
  t.equal(act?.replayed, 3)
  t.match(act?.note, /^migration: views v\d+ /)
  return store
}

/** Open the migrated store again: nothing more to migrate, and the log verifies. */
async function reopensWithoutMigrating (t: Test, location: string): Promise<void> {
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.equal(store.head().position, 4, 'a migrated store opens without migrating again')
  t.equal((await store.verify()).ok, true)
  await store.close()
}

/** A store of 3 entries: persons 1 and 2, then person 1's 住民票コード変更 to juminhyoCode(500). */
async function twoResidentsOneCodeChange (t: Test): Promise<string> {
  const location = path.join(tempDir(t), 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(person(1))), item(cs.identity(person(2)))])
  await store.append([item(cs.identity(person(1, { juminhyoCode: juminhyoCode(500), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-01-01', previousJuminhyoCode: juminhyoCode(1) })))])
  await store.close()
  return location
}

t.test('views of version 1 are rebuilt on open and the migration is logged', async (t) => {
  const location = path.join(tempDir(t), 'db')
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(person(1))), item(cs.identity(person(2)))])
  await store.append([item(cs.identity(person(1, { changeReason: ChangeReason.SHIBOU, changeDate: '2023-01-01' })))])
  await store.close()
  const views = await dumpSpaces(location)
  // What an earlier version left: no version marker and no `due` rows.
  await withRaw(location, async (raw) => {
    await raw.sublevel<Buffer, Buffer>('meta', { keyEncoding: 'buffer', valueEncoding: 'buffer' }).del(Buffer.from('views-version'))
    await raw.sublevel<Buffer, Buffer>('due', { keyEncoding: 'buffer', valueEncoding: 'buffer' }).clear()
  })
  store = await openMigrating(t, location)
  t.equal((await store.getCurrent(person(2).juminhyoCode))?.nameKanji, person(2).nameKanji)
  await store.close()
  t.same((await dumpSpaces(location, ['due'])).due, views.due, 'the due view is back')
  await reopensWithoutMigrating(t, location)
})

t.test('views of version 3 (current records by subject) are rebuilt by resident number, the old space emptied', async (t) => {
  const location = await twoResidentsOneCodeChange(t)
  let store: LevelStore
  const views = await dumpSpaces(location, ['subjects', '~current'])
  t.equal(views['~current']?.length, 2)
  // What views v3 left: the records under their subject in `current`, no `subjects` nor `~current`.
  await withRaw(location, async (raw) => {
    const sub = (name: string): ReturnType<typeof raw.sublevel<Buffer, Buffer>> => raw.sublevel<Buffer, Buffer>(name, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
    const records = new Map<string, Buffer>()
    for await (const [number, record] of sub('~current').iterator()) records.set(number.toString('hex'), record)
    for await (const [subject, number] of sub('subjects').iterator()) await sub('current').put(subject, records.get(number.toString('hex')) ?? Buffer.alloc(0))
    await sub('subjects').clear()
    await sub('~current').clear()
    await sub('meta').put(Buffer.from('views-version'), Buffer.from([0, 0, 0, 3]))
  })
  t.equal((await dumpSpaces(location, ['current'])).current?.length, 2, 'control: a v3 layout on disk')
  store = await openMigrating(t, location)
  t.equal((await store.getCurrent(juminhyoCode(500)))?.nameKanji, person(1).nameKanji)
  t.equal((await store.getCurrent(person(2).juminhyoCode))?.nameKanji, person(2).nameKanji)
  t.equal(await store.getCurrent(juminhyoCode(1)), undefined)
  await store.close()
  t.same(await dumpSpaces(location, ['subjects', '~current']), views, 'the same views as a store written at v4')
  t.same((await dumpSpaces(location, ['current'])).current, [], 'the v3 space is emptied')
  await reopensWithoutMigrating(t, location)
})

/**
 * The search keys a store of views v4 wrote into its entries' effects (search-keys.ts before views v5):
 * B, S = PRF(清音化かな ‖ 生年月日), N = PRF(清音化かな), K — four per resident, 16 bytes each.
 */
function v4SearchKeys (keyring: Keyring, r: SearchNames): Buffer[] {
  const token = (domain: string, value: string): Buffer => keyring.searchToken(domain as SearchDomain, value) // 'S' is no domain since v5
  const seion = toSeionKana(r.nameKana)
  const kanji = normalizeKanjiName(r.nameKanji)
  return [token('B', r.birthDate), ...(seion === '' ? [] : [token('S', `${seion}\u0000${r.birthDate}`), token('N', seion)]), ...(kanji === '' ? [] : [token('K', kanji)])]
}

t.test('views of version 4 (four search keys and the 個人番号 index by subject) are rebuilt: three keys by resident number', async (t) => {
  const written = await dumpSpaces(await twoResidentsOneCodeChange(t), ['search', 'kojin'])
  t.ok(written.search?.length === 6 && written.search.filter((row) => row.indexOf('=') === 2 * (24 + 8)).length === 2, 'v5: B, K and N ‖ B\' ‖ resident number')
  // A store written by views v4's code: its log's effects carry the four keys of before (the log is
  // never rewritten), and its views file them, and the 個人番号 index, under the subject.
  const keyring = new Keyring(TEST_APPLIANCE_KEY)
  const recordSearchKeys = Object.getOwnPropertyDescriptor(Keyring.prototype, 'recordSearchKeys')
  Keyring.prototype.recordSearchKeys = function (this: Keyring, r: SearchNames): Buffer[] { return v4SearchKeys(this, r) }
  const restore = (): void => { if (recordSearchKeys !== undefined) Object.defineProperty(Keyring.prototype, 'recordSearchKeys', recordSearchKeys) }
  t.teardown(restore)
  const location = await twoResidentsOneCodeChange(t)
  restore()
  await withRaw(location, async (raw) => {
    const sub = (name: string): ReturnType<typeof raw.sublevel<Buffer, Buffer>> => raw.sublevel<Buffer, Buffer>(name, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
    await sub('search').clear()
    for (const p of [person(1, { juminhyoCode: juminhyoCode(500) }), person(2)]) {
      const subject = keyring.subjectToken(p.juminhyoCode)
      for (const key of v4SearchKeys(keyring, p)) await sub('search').put(Buffer.concat([key, subject]), Buffer.alloc(0))
    }
    const subjectOf = new Map<string, Buffer>()
    for await (const [subject, number] of sub('subjects').iterator()) subjectOf.set(number.toString('hex'), subject)
    for await (const [token, number] of sub('kojin').iterator()) await sub('kojin').put(token, subjectOf.get(number.toString('hex')) ?? Buffer.alloc(16))
    await sub('meta').put(Buffer.from('views-version'), Buffer.from([0, 0, 0, 4]))
  })
  const v4 = await dumpSpaces(location, ['search', 'kojin'])
  t.ok(v4.search?.length === 8 && v4.search.every((row) => row.indexOf('=') === 2 * (16 + 16)), 'control: a v4 layout on disk, four keys each')
  t.notSame(v4.kojin, written.kojin, 'control: the v4 個人番号 index holds subjects')
  const store = await openMigrating(t, location)
  t.equal(await store.findByKojinBango(kojinBango(1)), juminhyoCode(500), 'the 個人番号 of a person whose code changed')
  t.equal(await store.findByKojinBango(kojinBango(2)), person(2).juminhyoCode)
  const found = async (name: string, birthDate: string): Promise<Array<string | undefined>> =>
    await Promise.all((await store.searchResidents({ name, birthDate }, 10)).map(async (n) => (await store.getCurrentByNumber(n))?.juminhyoCode))
  const p = person(2)
  t.same(await found(p.nameKana, p.birthDate), [p.juminhyoCode], 'かな + date: an entry of v4 found through N ‖ B\'')
  t.same(await found(p.nameKana, ''), [p.juminhyoCode], 'かな only')
  t.same(await found(person(1).nameKana, person(1).birthDate), [juminhyoCode(500)], 'the person whose code changed, under the new code')
  t.same(await found(p.nameKanji, ''), [p.juminhyoCode], '漢字氏名')
  await store.close()
  t.same(await dumpSpaces(location, ['search', 'kojin']), written, 'the same views as a store written at v5')
  await reopensWithoutMigrating(t, location)
})
