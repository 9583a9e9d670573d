// A rebuild clears every view space before replaying the log (recovery.ts rebuildViews), a chunk of
// keys at a time (level-store.ts _clear: one long LevelDB iterator kept the memtables it was made on,
// and the store passed SPEC §8's 1 GB clearing the views of 5.1 M residents). The chunks must delete
// every key of the space, across chunk boundaries, and nothing outside it.
import t from 'tap'
import path from 'node:path'
import { CLEAR_CHUNK_KEYS, LevelStore } from '../../../server/src/store/level-store.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { dumpSpaces, withRaw } from './raw.ts'

const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const

t.test('a rebuild deletes every key of a view space larger than a chunk, and nothing beside it', async (t) => {
  const location = path.join(tempDir(t), 'db')
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(person(1))), item(cs.identity(person(2)))])
  await store.close()
  const before = await dumpSpaces(location, ['history', 'subjects'])

  // Stale rows no replay writes (as an earlier views version leaves), more than two chunks of them,
  // and a key just past the space's range that is no space's and must survive (abstract-level's own
  // sublevel range ends at '!history"' inclusive, so the first key past both is '!history"\0').
  const stale = 2 * CLEAR_CHUNK_KEYS + 17
  const outside = Buffer.from('!history"\0', 'latin1')
  await withRaw(location, async (raw) => {
    const history = raw.sublevel<Buffer, Buffer>('history', ENCODING)
    await history.open()
    for (let from = 0; from < stale; from += 10_000) {
      const batch = history.batch()
      for (let i = from; i < Math.min(stale, from + 10_000); i++) batch.put(Buffer.from(`\xff${String(i).padStart(8, '0')}`, 'latin1'), Buffer.of(1))
      await batch.write()
    }
    await raw.put(outside, Buffer.of(2))
  })
  t.equal((await dumpSpaces(location, ['history'])).history?.length, (before.history?.length ?? 0) + stale)

  const events: Array<Record<string, unknown>> = []
  const logger = { info: (f: Record<string, unknown>) => { events.push(f) }, warn: () => undefined, error: () => undefined }
  store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, logger })
  await store.open()
  const { replayed } = await store.rebuild({ actor: 'AD001', approver: '', note: 'views-clear test' })
  t.equal(replayed, 2)
  t.ok(events.some((e) => e.event === 'store.rebuild.cleared' && typeof e.ms === 'number'), 'the clear\'s end is logged with its duration')
  t.equal((await store.getCurrent(person(2).juminhyoCode))?.nameKanji, person(2).nameKanji, 'the views answer after the rebuild')
  await store.close()

  t.same(await dumpSpaces(location, ['history', 'subjects']), before, 'exactly the replayed rows are left: every stale row is gone')
  await withRaw(location, async (raw) => {
    t.same(await raw.get(outside), Buffer.of(2), 'the key just past the space is untouched')
  })
})
