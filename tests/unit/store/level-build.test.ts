// The classic-level binding the store loads is the one patches/classic-level.sh builds (issue 18):
// LevelDB's crc32c with the CPU's crc32 instruction where the CPU has SSE4.2
// (patches/classic-level-3.0.0-sse42-crc32c.patch), and table files read with pread, never mapped
// (patches/classic-level-3.0.0-no-mmap-reads.patch), and a compaction thread named for per-thread CPU
// (patches/classic-level-3.0.0-thread-name.patch), and seek compactions an open option
// (patches/classic-level-3.0.0-seek-compaction.patch). Each case fails on the stock or main's former build.
import t, { type Test } from 'tap'
import path from 'node:path'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { ClassicLevel } from 'classic-level'
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseSstables } from '../../../server/src/store/level-tables.ts'
import { tempDir } from './helpers.ts'

const binding = createRequire(import.meta.url)('classic-level/binding.js') as Record<string, unknown>
const linux = process.platform === 'linux'
const sse42 = linux && process.arch === 'x64' && /\bsse4_2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'))

t.test('LevelDB computes crc32c with the crc32 instruction', { skip: sse42 ? false : 'not an x86-64 CPU with SSE4.2' }, async (t) => {
  t.type(binding.crc32c_accelerated, 'function', 'the binding was built with the SSE4.2 patch')
  const accelerated = binding.crc32c_accelerated as () => boolean
  t.equal(accelerated(), true, 'the accelerated function gives CRC-32C\'s check value on this CPU')
})

t.test('LevelDB reads table files without mapping them', { skip: linux ? false : 'reads /proc/self/maps' }, async (t) => {
  const location = path.join(tempDir(t), 'db')
  const db = new ClassicLevel<string, string>(location)
  await db.open()
  t.teardown(async () => { await db.close() })
  await db.batch(Array.from({ length: 2000 }, (_, i) => ({ type: 'put' as const, key: `k${String(i).padStart(5, '0')}`, value: 'v'.repeat(100) + String(i) })))
  // Flushes the memtable into a table and opens it in the table cache (db_impl.cc CompactRange).
  await db.compactRange('k', 'l')
  t.ok(readdirSync(location).some((f) => f.endsWith('.ldb')), 'the rows are in a table file')
  t.equal(await db.get('k01234'), 'v'.repeat(100) + '1234', 'a point read from the table')
  t.same((await db.keys({ gte: 'k00100', lt: 'k00103' }).all()), ['k00100', 'k00101', 'k00102'], 'a range read from the table')
  const mapped = readFileSync('/proc/self/maps', 'utf8').split('\n').filter((line) => line.includes(location))
  t.same(mapped, [], 'no file of the database is mapped into the process')
})

t.test('LevelDB\'s compaction thread is named leveldb-bg', { skip: linux ? false : 'reads /proc/self/task' }, async (t) => {
  const location = path.join(tempDir(t), 'db')
  const db = new ClassicLevel<string, string>(location)
  await db.open()
  t.teardown(async () => { await db.close() })
  await db.batch(Array.from({ length: 100 }, (_, i) => ({ type: 'put' as const, key: `k${i}`, value: 'v' })))
  // A manual compaction runs on the background thread, which LevelDB starts at its first use
  // (util/env_posix.cc Schedule): one per process, shared by every database.
  await db.compactRange('k', 'l')
  const names = readdirSync('/proc/self/task').map((tid) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim())
  t.equal(names.filter((n) => n === 'leveldb-bg').length, 1, 'one thread of this process is LevelDB\'s, by name (patches/classic-level-3.0.0-thread-name.patch)')
})

/** A database of LevelDB's least memtable (64 KiB), blocks uncompressed, with OPTIONS; closed at the end of T. */
async function smallTables (t: Test, options: { seekCompaction?: boolean }): Promise<ClassicLevel<Buffer, Buffer>> {
  const db = new ClassicLevel<Buffer, Buffer>(path.join(tempDir(t), 'db'), { keyEncoding: 'buffer', valueEncoding: 'buffer', compression: false, writeBufferSize: 64 << 10, ...options })
  await db.open()
  t.teardown(async () => { await db.close() })
  return db
}

t.test('LevelDB compacts a table that point reads pass only while seekCompaction is on', async (t) => {
  // Three 64 KiB memtables of keys at random, flushed in turn: the first to level 2, the second to level 1,
  // the third to level 0 (db/version_set.cc PickLevelForMemTableOutput stops above a level it overlaps).
  // A get of a key of the first checks the level-0 and level-1 tables before it and charges the level-0
  // one (Version::Get); after its allowed_seeks (100 at least, VersionSet::Builder::Apply) LevelDB compacts
  // it into level 1 (Version::UpdateStats) — unless the option turns that off.
  const charged = await smallTables(t, {})
  const spared = await smallTables(t, { seekCompaction: false })
  const memtables = Array.from({ length: 3 }, () => Array.from({ length: 100 }, () => ({ type: 'put' as const, key: randomBytes(16), value: randomBytes(1024) })))
  for (const db of [charged, spared]) {
    // Each write finds the memtable before it full and switches it out (db_impl.cc MakeRoomForWrite).
    for (const ops of memtables) await db.batch(ops)
    await db.put(randomBytes(16), Buffer.alloc(1))
  }
  const levels = (db: ClassicLevel<Buffer, Buffer>): number[] => parseSstables(db.getProperty('leveldb.sstables')).map((table) => table.level).sort()
  const until = async (done: () => boolean): Promise<void> => {
    for (let waited = 0; !done() && waited < 10_000; waited += 20) await sleep(20)
  }
  await until(() => levels(charged).join() === '0,1,2' && levels(spared).join() === '0,1,2')
  t.same(levels(spared), [0, 1, 2], 'one table in each of levels 0, 1 and 2')
  t.same(levels(charged), [0, 1, 2])
  const oldest = (memtables[0] ?? []).map((op) => op.key)
  for (let round = 0; round < 3; round++) {
    for (const db of [charged, spared]) t.equal((await db.getMany(oldest)).filter((v) => v === undefined).length, 0, 'every key read')
  }
  await until(() => !levels(charged).includes(0))
  t.notOk(levels(charged).includes(0), 'LevelDB\'s default: the level-0 table the reads passed was compacted down')
  t.same(levels(spared), [0, 1, 2], 'seekCompaction false: no table moved (patches/classic-level-3.0.0-seek-compaction.patch)')
})
