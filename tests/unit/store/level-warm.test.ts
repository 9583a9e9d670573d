// The store daemon opens every table of its keys and views databases at start (level-store.ts WARMED,
// level-tables.ts): a lookup after a start must not pay a table's open (issue 18: lookup p99 at 5.1 M).
import t from 'tap'
import path from 'node:path'
import { readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { ClassicLevel } from 'classic-level'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { parseSstables, unescapeKey } from '../../../server/src/store/level-tables.ts'
import type { DatabaseTuning } from '../../../server/src/store/level-tuning.ts'
import type { Database, WriteOp } from '../../../server/src/store/layout.ts'
import pino from 'pino'
import { setTimeout as sleep } from 'node:timers/promises'
import { startStoreDaemon } from '../../../server/src/store/daemon.ts'
import { loadApplianceKey } from '../../../server/src/store/appliance-key.ts'
import { TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { LINUX, openTables } from './open-tables.ts'


/** util/logging.cc EscapeString, as LevelDB prints a key in `leveldb.sstables`. */
function escapeKey (key: Buffer): string {
  let out = ''
  for (const b of key) out += b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`
  return out
}

t.test('a key printed by LevelDB reads back as its bytes', async (t) => {
  const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
  t.same(unescapeKey(escapeKey(every)), every, 'all 256 byte values')
  for (let i = 0; i < 200; i++) {
    const key = randomBytes(1 + (i % 40))
    // A key whose raw bytes spell `\xNN` is the one EscapeString leaves ambiguous (level-tables.ts).
    if (/\\x[0-9a-f]{2}/.test(key.toString('latin1'))) continue
    t.same(unescapeKey(escapeKey(key)), key)
  }
})

t.test('the listing gives each table its level, number, size and smallest key', async (t) => {
  const a = Buffer.from('!search!\x00\'q @ 1', 'latin1')
  const listing = [
    '--- level 0 ---',
    ` 12:4096['${escapeKey(a)}' @ 7 : 1 .. '!search!z' @ 9 : 1]`,
    '--- level 1 ---',
    '--- level 2 ---',
    ' 9:8819248[\'!current!\\x81\\xff\' @ 4979476 : 1 .. \'!tree!\\x13\' @ 5 : 0]',
    ''
  ].join('\n')
  t.same(parseSstables(listing), [
    { level: 0, number: 12, size: 4096, smallest: a },
    { level: 2, number: 9, size: 8819248, smallest: Buffer.from('!current!\x81\xff', 'latin1') }
  ])
  t.same(parseSstables(''), [])
  t.same(parseSstables('--- level 0 ---\n'), [])
})

t.test('every table LevelDB lists is on disk, and a seek to its smallest key finds that key', async (t) => {
  const db = new ClassicLevel<Buffer, Buffer>(path.join(tempDir(t), 'db'), { keyEncoding: 'buffer', valueEncoding: 'buffer', writeBufferSize: 64 << 10, maxFileSize: 64 << 10, compression: false })
  await db.open()
  for (let batch = 0; batch < 80; batch++) await db.batch(Array.from({ length: 100 }, () => ({ type: 'put' as const, key: randomBytes(24), value: randomBytes(400) })), { sync: false })
  const tables = parseSstables(db.getProperty('leveldb.sstables'))
  const files = readdirSync(db.location).filter((f) => f.endsWith('.ldb')).map((f) => Number(f.slice(0, -4))).sort((x, y) => x - y)
  t.ok(tables.length > 4, `${tables.length} tables`)
  t.ok(new Set(tables.map((x) => x.level)).size > 1, 'in more than one level')
  // The directory may also hold a table a compaction is writing, or one it has just replaced.
  t.same(tables.map((x) => x.number).filter((n) => !files.includes(n)), [], 'no table listed that is not on disk')
  for (const table of tables) {
    const [first] = await db.keys({ gte: table.smallest, limit: 1 }).all()
    t.ok(first !== undefined && first.equals(table.smallest), `table ${table.number}`)
  }
  await db.close()
})

/** The store with LevelDB's least tables in keys and views (64 KiB), so a few hundred KiB make many. */
class SmallTables extends LevelStore {
  constructor (location: string, applianceKey: Buffer = TEST_APPLIANCE_KEY) {
    super({ location, applianceKey })
  }

  protected override tableOptions (database: Database): DatabaseTuning {
    const own = super.tableOptions(database)
    return database === 'log' ? own : { ...own, writeBufferSize: 64 << 10, maxFileSize: 64 << 10 }
  }

  async put (ops: readonly WriteOp[]): Promise<void> { await this._write(ops) }
}

function tablesOn (dir: string): number {
  return readdirSync(dir).filter((f) => f.endsWith('.ldb')).length
}

/**
 * A store with ~6 MB of views (in 1 MiB tables after the compaction) and ~0.5 MB of keys, each database then compacted whole (so its tables sit
 * in one level and the next open has nothing to replay or compact: no read opens a table before the
 * test's own). LevelDB's least compaction output is 1 MiB (db/db_impl.cc SanitizeOptions).
 */
async function filled (t: { teardown: (fn: () => void) => void }, location = path.join(tempDir(t), 'store'), applianceKey?: Buffer): Promise<string> {
  const writer = new SmallTables(location, applianceKey)
  await writer.open()
  for (let batch = 0; batch < 150; batch++) {
    await writer.put([
      ...Array.from({ length: 40 }, () => ({ space: 'history' as const, key: randomBytes(12), value: randomBytes(1000) })),
      ...Array.from({ length: 40 }, () => ({ space: 'search' as const, key: randomBytes(32), value: Buffer.alloc(0) })),
      ...Array.from({ length: 40 }, () => ({ space: 'keys' as const, key: randomBytes(16), value: randomBytes(60) }))
    ])
  }
  await writer.close()
  for (const name of ['keys', 'views']) {
    const db = new ClassicLevel<Buffer, Buffer>(path.join(location, name), { keyEncoding: 'buffer', valueEncoding: 'buffer', compression: false, maxFileSize: 1 << 20 })
    await db.open()
    await db.compactRange(Buffer.alloc(0), Buffer.alloc(64, 0xff))
    await db.close()
  }
  return location
}

t.test('once warmTables() settles, every table of keys and views is open', LINUX, async (t) => {
  const location = await filled(t)
  const views = path.join(location, 'views')
  const keys = path.join(location, 'keys')
  t.ok(tablesOn(views) >= 5 && tablesOn(keys) >= 1, `${tablesOn(views)} views tables, ${tablesOn(keys)} keys tables`)

  const cold = new SmallTables(location)
  await cold.open()
  // The open reads the recorded head and the tree's edge (a few tables), nothing more.
  const opened = openTables(views) + openTables(keys)
  t.ok(opened <= 4, `without it, ${opened} of ${tablesOn(views) + tablesOn(keys)} tables open before a read`)
  await cold.close()

  const warm = new SmallTables(location)
  await warm.open()
  await warm.warmTables()
  t.equal(openTables(views), tablesOn(views), 'every views table')
  t.equal(openTables(keys), tablesOn(keys), 'every keys table')
  t.equal(openTables(path.join(location, 'log')), 0, 'the log is read in order and not warmed')
  await warm.close()
  t.equal(openTables(views) + openTables(keys), 0, 'closed with the store')
})

t.test('a close during the warm-up stops it and closes the store', LINUX, async (t) => {
  const location = await filled(t)
  const store = new SmallTables(location)
  await store.open()
  const warming = store.warmTables()
  await t.resolves(store.close())
  await t.resolves(warming)
  await t.resolves(store.warmTables(), 'a closed store has nothing to warm')
  t.equal(openTables(path.join(location, 'views')) + openTables(path.join(location, 'keys')), 0)
  // and it opens (and warms) again
  const again = new SmallTables(location)
  await again.open()
  await again.warmTables()
  t.equal(openTables(path.join(location, 'views')), tablesOn(path.join(location, 'views')))
  await again.close()
})

t.test('the store daemon opens every table of keys and views once it answers', LINUX, async (t) => {
  const dir = tempDir(t, 'ken-warm-')
  const paths = { dbPath: path.join(dir, 'db'), socketPath: path.join(dir, 'run', 'store.sock'), keyFile: path.join(dir, 'keys', 'appliance.key') }
  const logger = pino({ level: 'silent' })
  await (await startStoreDaemon(paths, { logger })).close()
  await filled(t, paths.dbPath, await loadApplianceKey(paths.keyFile, { create: false }))
  const views = path.join(paths.dbPath, 'views')
  const keys = path.join(paths.dbPath, 'keys')
  const daemon = await startStoreDaemon(paths, { logger })
  t.teardown(async () => await daemon.close())
  // Bounded: ~10 tables, one open at a time in libuv's pool.
  for (let i = 0; i < 100 && openTables(views) + openTables(keys) < tablesOn(views) + tablesOn(keys); i++) await sleep(50)
  t.equal(openTables(views), tablesOn(views), 'every views table')
  t.equal(openTables(keys), tablesOn(keys), 'every keys table')
})
