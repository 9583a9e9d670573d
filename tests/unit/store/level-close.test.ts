// A store closed normally leaves nothing in LevelDB's write-ahead logs once they hold 1 MiB or more:
// its memtables are written out as tables at close (level-store.ts _close), so the next open — the
// daemon's, or `ken-store verify`'s right after a stop — replays nothing. What was written is all there
// after the reopen. Below the threshold (a test's small store) close writes nothing out.
import t from 'tap'
import path from 'node:path'
import { databasePath, LevelStore, walBytes as walBytesIn } from '../../../server/src/store/level-store.ts'
import { DATABASES } from '../../../server/src/store/layout.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

/** Bytes in the write-ahead logs (NNNNNN.log) of one database. */
function walBytes (location: string, database: string): number {
  return walBytesIn(databasePath(location, database as 'log'))
}

/** The threshold at 1 byte: 20 entries are enough to be written out. */
class FlushingStore extends LevelStore {
  protected override flushAtCloseBytes (): number {
    return 1
  }
}

/** A new store at `location` holding 20 residents' entries, open. */
async function storeOf20 (location: string, Kind: typeof LevelStore): Promise<LevelStore> {
  const store = new Kind({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append(Array.from({ length: 20 }, (_, i) => item(cs.identity(person(i)))))
  return store
}

t.test('below the threshold, close leaves the write-ahead logs as they are', async (t) => {
  const location = path.join(tempDir(t), 'db')
  await (await storeOf20(location, LevelStore)).close()
  for (const database of DATABASES) t.ok(walBytes(location, database) > 0, `${database}: its few KB are replayed at the next open`)
})

t.test('after close, no database has anything left to replay', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const store = await storeOf20(location, FlushingStore)
  for (const database of DATABASES) t.ok(walBytes(location, database) > 0, `${database}: the appends are in its write-ahead log while open`)
  await store.close()
  for (const database of DATABASES) t.equal(walBytes(location, database), 0, `${database}: nothing left to replay`)
  const again = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY, readOnly: true, createIfMissing: false })
  await again.open()
  try {
    const result = await again.verify({ threads: 1 })
    t.same({ ok: result.ok, entries: result.entries }, { ok: true, entries: 20 }, 'every entry is there after the reopen')
  } finally {
    await again.close()
  }
})
