// LevelDB keeps each table in its table cache open, with a file descriptor and its index and filter on
// the heap (level-tuning.ts; mapped too before patches/classic-level-3.0.0-no-mmap-reads.patch): the
// store bounds the tables its log database keeps open however much of the log a reader walks (issue 18:
// store RSS).
import t from 'tap'
import path from 'node:path'
import { readdirSync, statSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { ClassicLevel } from 'classic-level'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { LEAST_OPEN_FILES, storeTuning, tablesOpen, type DatabaseTuning } from '../../../server/src/store/level-tuning.ts'
import { DATABASES, type Database, type WriteOp } from '../../../server/src/store/layout.ts'
import type { Range } from '../../../server/src/store/store.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'
import { LINUX, openTables } from './open-tables.ts'

const MIB = 1 << 20

t.test('the log keeps LevelDB\'s fewest tables open (64), the keys and the views a prefecture\'s', async (t) => {
  const tuning = storeTuning()
  t.equal(tuning.log.maxOpenFiles, LEAST_OPEN_FILES)
  t.equal(tablesOpen(tuning.log), 64)
  // A lookup that opens a table costs ~50 µs more (level-tuning.ts): a 5.1 M prefecture's views
  // (~3.9 GB in 8 MiB tables) and keys (~425 MB) stay open.
  t.ok(tablesOpen(tuning.views) * tuning.views.maxFileSize >= 4000 * 1e6, 'views table cache')
  t.ok(tablesOpen(tuning.keys) * tuning.keys.maxFileSize >= 1000 * 1e6, 'keys table cache')
  // The views' memtable against LevelDB's fixed 10 MB level 1: fewer rewrites per key (level-tuning.ts).
  t.ok(tuning.views.writeBufferSize >= 128 * MIB, 'views memtable')
  t.equal(storeTuning({ writeBufferSize: 3 * MIB }).views.writeBufferSize, 3 * MIB)
  t.equal(storeTuning({ cacheSize: 3 * MIB }).views.cacheSize, 3 * MIB)
  // The views without seek compactions (level-tuning.ts); the log and the keys, whose tables move down
  // without rewriting, keep LevelDB's.
  t.equal(tuning.views.seekCompaction, false, 'views: no seek compactions')
  for (const database of ['log', 'keys'] as const) t.equal(tuning[database].seekCompaction, true, `${database}: LevelDB's seek compactions`)
  t.equal(storeTuning({ seekCompaction: true }).views.seekCompaction, true)
  for (const database of DATABASES) t.equal(tuning[database].compression, false, `${database}: no snappy`)
})

/** The store with its log's tables scaled down (LevelDB's least write buffer, 64 KiB), all else its own. */
class SmallLogTables extends LevelStore {
  readonly #override: Partial<DatabaseTuning>
  constructor (location: string, override: Partial<DatabaseTuning> = {}) {
    super({ location, applianceKey: TEST_APPLIANCE_KEY })
    this.#override = override
  }

  protected override tableOptions (database: Database): DatabaseTuning {
    const own = super.tableOptions(database)
    return database === 'log' ? { ...own, writeBufferSize: 64 << 10, maxFileSize: 1 * MIB, ...this.#override } : own
  }

  async put (ops: readonly WriteOp[]): Promise<void> { await this._write(ops) }
  chunks (range: Range): AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>> { return this._iterate('log', range) }
}

/** Writes ~10 MiB of log blocks, one table per batch, (incompressible) in order, reads them all back, and counts (LevelDB opens a
 * table as it flushes it, db/builder.cc, and as a read reaches it). */
async function walk (location: string, override: Partial<DatabaseTuning> = {}): Promise<{ tables: number, open: number, read: number }> {
  const writer = new SmallLogTables(location, override)
  await writer.open()
  let position = 0
  for (let batch = 0; batch < 150; batch++) {
    await writer.put(Array.from({ length: 8 }, () => {
      const key = Buffer.alloc(8)
      key.writeBigUInt64BE(BigInt(++position))
      return { space: 'log' as const, key, value: randomBytes(8 << 10) }
    }))
  }
  const logDir = path.join(location, 'log')
  const tables = readdirSync(logDir).filter((f) => f.endsWith('.ldb')).length
  let read = 0
  let open = 0
  for await (const chunk of writer.chunks({})) {
    read += chunk.length
    open = Math.max(open, openTables(logDir))
  }
  open = Math.max(open, openTables(logDir))
  await writer.close()
  return { tables, open, read }
}

t.test('reading a log of more tables than the bound keeps about 64 of them open', LINUX, async (t) => {
  const location = path.join(tempDir(t), 'db')
  const { tables, open, read } = await walk(location)
  t.equal(read, 1200)
  t.ok(tables > 100, `${tables} log tables on disk`)
  t.ok(open > 0, `${open} open while reading`)
  // An evicted table stays open while an iterator (this read, a flush's check) still holds it.
  t.ok(open <= 64 + 2, `${open} open while reading, bound 64 + the tables in use`)
})

t.test('without the bound (LevelDB\'s default of 1,000 open files) the same read keeps more than 64 open', LINUX, async (t) => {
  const location = path.join(tempDir(t), 'db')
  const { tables, open } = await walk(location, { maxOpenFiles: 1000 })
  t.ok(tables > 100, `${tables} log tables on disk`)
  t.ok(open > 64, `${open} open while reading`)
})

/** Bytes of the table files of one database. */
function tableBytes (dir: string): number {
  return readdirSync(dir).filter((f) => f.endsWith('.ldb')).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0)
}

/** A log database opened as the store opens it (level-tuning.ts), its memtable scaled down to 64 KiB. */
function logDatabase (location: string, compression: boolean): ClassicLevel<Buffer, Buffer> {
  const options = { ...storeTuning().log, compression, writeBufferSize: 64 << 10 }
  return new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', ...options })
}

/** Values of 8 KiB of zeros at keys from..from+count−1: what snappy shrinks to almost nothing. */
async function putZeros (db: ClassicLevel<Buffer, Buffer>, from: number, count: number): Promise<void> {
  const batch = db.batch()
  for (let i = from; i < from + count; i++) {
    const key = Buffer.alloc(8)
    key.writeBigUInt64BE(BigInt(i))
    batch.put(key, Buffer.alloc(8 << 10))
  }
  await batch.write({ sync: true })
}

// The store's values are ciphertext and its keys HMAC tokens: snappy found next to nothing to shrink and
// cost the compaction thread ~13 % of its CPU (level-tuning.ts). LevelDB records per block whether it
// is compressed (table/format.cc ReadBlock), so tables written with snappy stay readable.
t.test('new tables are written without snappy; tables written with it still read', async (t) => {
  const location = path.join(tempDir(t), 'log')
  const former = logDatabase(location, true)
  await former.open()
  for (let batch = 0; batch < 20; batch++) await putZeros(former, batch * 8 + 1, 8)
  await former.close()
  const snappy = tableBytes(location)
  t.ok(snappy > 0 && snappy < 160 * (8 << 10) / 10, `${snappy} bytes of tables for 1,280 KiB of zeros with snappy`)

  const db = logDatabase(location, storeTuning().log.compression)
  await db.open()
  for (let batch = 20; batch < 40; batch++) await putZeros(db, batch * 8 + 1, 8)
  t.ok(tableBytes(location) - snappy >= 140 * (8 << 10), `${tableBytes(location) - snappy} more bytes of tables for the next 1,280 KiB without`)
  let read = 0
  let wrong = 0
  for await (const [key, value] of db.iterator()) {
    if (key.readBigUInt64BE() !== BigInt(++read) || value.length !== 8 << 10 || value.some((b) => b !== 0)) wrong++
  }
  t.equal(read, 320, 'every value, the former tables\' and the new ones')
  t.equal(wrong, 0, 'each in order and as written')
  const first = Buffer.alloc(8)
  first.writeBigUInt64BE(1n)
  t.equal(db.getSync(first)?.length, 8 << 10, 'a point read in a snappy table')
  await db.close()
})

/** The store with snappy on, as every store before this option was written. */
class SnappyStore extends LevelStore {
  protected override tableOptions (database: Database): DatabaseTuning {
    return { ...super.tableOptions(database), compression: true, writeBufferSize: 64 << 10 }
  }
}

t.test('a store written with snappy opens, answers and verifies with the tables written since', async (t) => {
  const location = path.join(tempDir(t), 'db')
  const cs = new Cs(FUKUOKA)
  const former = new SnappyStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await former.open()
  for (let n = 0; n < 400; n += 50) await former.append(Array.from({ length: 50 }, (_, i) => item(cs.identity(person(n + i)))))
  await former.close()
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  for (let n = 400; n < 600; n += 50) await store.append(Array.from({ length: 50 }, (_, i) => item(cs.identity(person(n + i)))))
  for (const n of [0, 199, 399, 400, 599]) t.equal((await store.getCurrent(person(n).juminhyoCode))?.nameKanji, person(n).nameKanji, `resident ${n}`)
  t.equal(store.head().position, 600)
  t.equal((await store.verify()).ok, true)
  await store.close()
})
