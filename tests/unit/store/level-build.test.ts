// The classic-level binding the store loads is the one patches/classic-level.sh builds (issue 18):
// LevelDB's crc32c with the CPU's crc32 instruction where the CPU has SSE4.2
// (patches/classic-level-3.0.0-sse42-crc32c.patch), and table files read with pread, never mapped
// (patches/classic-level-3.0.0-no-mmap-reads.patch), and a compaction thread named for per-thread CPU
// (patches/classic-level-3.0.0-thread-name.patch). Each case fails on the stock or main's former build.
import t from 'tap'
import path from 'node:path'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { ClassicLevel } from 'classic-level'
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
