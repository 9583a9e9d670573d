// A 4情報 search reads its candidates (LevelStore#_keysIn) on the calling thread when classic-level is
// built with patches/classic-level-3.0.0-nextv-sync.patch (patches/classic-level.sh), and with one
// hand-off to libuv's pool otherwise (issue 18: that hand-off waits for a core, and behind whatever
// holds the pool). Proof, as for point reads (level-point-read.test.ts): with every pool thread held,
// the patched build answers the search before any pool thread is free; the stock build waits for one.
import t from 'tap'
import path from 'node:path'
import { createRequire } from 'node:module'
import { LevelStore, rangeReadsOnCallingThread } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, holdPool, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

const binding = createRequire(import.meta.url)('classic-level/binding.js') as Record<string, unknown>
const patched = typeof binding.iterator_nextv_sync === 'function'

t.test(`a search with every pool thread busy (classic-level ${patched ? 'with' : 'without'} nextvSync)`, async (t) => {
  const location = path.join(tempDir(t), 'db')
  const cs = new Cs(FUKUOKA)
  // Two people share 氏名 and 生年月日: one search key, two candidates.
  const twin = person(2)
  const people = [person(1), twin, person(3, { nameKana: twin.nameKana, nameKanji: twin.nameKanji, birthDate: twin.birthDate })]
  const writer = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await writer.open()
  await writer.append(people.map((p) => item(cs.identity(p))))
  await writer.close()

  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, createIfMissing: false })
  await store.open()
  t.teardown(async () => { await store.close() })
  const expected = [people[1], people[2]].map((p) => p?.juminhyoCode).sort()

  t.equal(rangeReadsOnCallingThread(), patched, 'LevelStore tells where its range reads run')
  const pool = holdPool()
  const numbers = await store.searchResidents({ name: twin.nameKana, birthDate: twin.birthDate }, 10)
  const none = await store.searchResidents({ name: 'ム', birthDate: '1901-01-01' }, 10)
  if (patched) t.notOk(pool.released(), 'both searches answered before any pool thread was free')
  else t.ok(pool.released(), 'without the patch the search waited for a pool thread')
  t.same(numbers.map((n) => n.length), [8, 8], 'a hit is a resident number (views v5)')
  t.same(none, [], 'a search key no one has')
  t.same((await store.searchResidents({ name: twin.nameKana, birthDate: twin.birthDate }, 1)).length, 1, 'limit 1')
  await pool.done
  const found = await Promise.all(numbers.map(async (n) => (await store.getCurrentByNumber(n))?.juminhyoCode))
  t.same(found.sort(), expected, 'the two residents under the search key, read by their numbers')
})
