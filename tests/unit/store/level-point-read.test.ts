// LevelStore answers point reads (a lookup by 住民票コード or 個人番号, the data key it opens) on the
// calling thread, without libuv's pool: each hand-off to a pool thread and back waits for a core, and
// on a busy 2-core appliance those waits were the lookup p99 (issue 18, bench/query-latency.ts).
// Proof: with every pool thread held by other work, the lookups still answer; a range read (the
// 履歴 read's iterator) has to wait for the pool, which shows the pool really was held.
import t from 'tap'
import path from 'node:path'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, holdPool, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

t.test('lookups by 住民票コード and 個人番号 answer while every pool thread is busy', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const cs = new Cs(FUKUOKA)
  const people = [1, 2, 3].map((seed) => person(seed))
  const writer = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await writer.open()
  await writer.append(people.map((p) => item(cs.identity(p))))
  await writer.close()

  // Reopened: the keyring's cache is empty, so each lookup also reads its wrapped data key.
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, createIfMissing: false })
  await store.open()
  t.teardown(async () => { await store.close() })

  const pool = holdPool()
  for (const p of people) {
    t.equal((await store.getCurrent(p.juminhyoCode))?.nameKana, p.nameKana, 'the record under its 住民票コード')
    t.equal(await store.findByKojinBango(p.kojinBango), p.juminhyoCode, 'the 住民票コード under its 個人番号')
  }
  t.equal(await store.getCurrent(person(9).juminhyoCode), undefined, 'an unknown 住民票コード')
  t.notOk(pool.released(), 'all answered before any pool thread was free')

  const first = people[0] ?? person(1)
  const history = await store.getHistory(first.juminhyoCode)
  t.ok(pool.released(), 'the range read (control) waited for the pool')
  t.same(history, [], 'no pre-change record')
  await pool.done
})
