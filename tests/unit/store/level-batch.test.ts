// A commit group's batch handed to LevelDB as its serialized WriteBatch (server/src/store/level-batch.ts,
// patches/classic-level-3.0.0-batch-contents.patch): the same bytes in the write-ahead log as the
// chained batch it replaces, the same rows afterwards, and a malformed batch refused before the log.
import t, { type Test } from 'tap'
import path from 'node:path'
import { readdirSync, readFileSync } from 'node:fs'
import { ClassicLevel } from 'classic-level'
import { batchContents } from '../../../server/src/store/level-batch.ts'
import type { Space, WriteOp } from '../../../server/src/store/layout.ts'
import { tempDir } from './helpers.ts'

type Db = ClassicLevel<Buffer, Buffer>
interface ContentsWrite { writeBatchContents: (contents: Uint8Array, options: { sync: boolean }) => Promise<void> }

const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
const prefixOf = (space: Space): Buffer => Buffer.from(`!${space}!`, 'latin1')

// Puts and deletions in several spaces; lengths on both sides of each varint32 step (127/128,
// 16383/16384) and an empty value (the search index's rows).
const OPS: WriteOp[] = [
  { space: 'keys', key: Buffer.alloc(16, 1), value: Buffer.alloc(60, 2) },
  { space: 'current', key: Buffer.from([0, 0, 0, 7]), value: Buffer.alloc(127, 3) },
  { space: 'search', key: Buffer.alloc(32, 4), value: Buffer.alloc(0) },
  { space: 'history', key: Buffer.alloc(24, 5), value: Buffer.alloc(128, 6) },
  { space: 'dedup', key: Buffer.alloc(120, 7), value: null },
  { space: 'log', key: Buffer.alloc(8, 8), value: Buffer.alloc(16383, 9) },
  { space: 'log', key: Buffer.alloc(8, 10), value: Buffer.alloc(16384, 11) },
  { space: 'kojin', key: Buffer.alloc(16, 12), value: Buffer.alloc(16, 13) }
]

async function opened (t: Test, name: string): Promise<{ db: Db, location: string }> {
  const location = path.join(tempDir(t), name)
  const db = new ClassicLevel<Buffer, Buffer>(location, ENCODING)
  await db.open()
  return { db, location }
}

function contentsWrite (db: Db): ContentsWrite['writeBatchContents'] {
  const write = (db as Partial<ContentsWrite>).writeBatchContents
  if (write === undefined) throw new Error('classic-level without patches/classic-level-3.0.0-batch-contents.patch (run patches/classic-level.sh)')
  return write.bind(db)
}

/** The write-ahead log's bytes (NNNNNN.log; one, in a database that never filled its memtable). */
function walOf (location: string): Buffer {
  const logs = readdirSync(location).filter((name) => /^\d+\.log$/.test(name))
  return Buffer.concat(logs.sort().map((name) => readFileSync(path.join(location, name))))
}

t.test('the contents are the write-ahead log bytes of the chained batch of the same ops', async (t) => {
  const chained = await opened(t, 'chained')
  const contents = await opened(t, 'contents')
  // Two batches each, the second deleting a row of the first: sequence numbers and deletions as well.
  const second: WriteOp[] = [{ space: 'current', key: Buffer.from([0, 0, 0, 7]), value: null }, { space: 'counts', key: Buffer.from('13101', 'latin1'), value: Buffer.from([8, 1]) }]
  for (const ops of [OPS, second]) {
    const batch = chained.db.batch()
    for (const op of ops) {
      const key = Buffer.concat([prefixOf(op.space), op.key])
      if (op.value === null) batch.del(key)
      else batch.put(key, op.value)
    }
    await batch.write({ sync: true })
    await contentsWrite(contents.db)(batchContents(ops, prefixOf), { sync: true })
  }
  const a = await chained.db.iterator().all()
  const b = await contents.db.iterator().all()
  await chained.db.close()
  await contents.db.close()
  t.same(b, a, 'the same rows')
  t.equal(b.length, 7, 'seven puts of the first batch, one deleted by the second and one added')
  const wal = walOf(contents.location)
  t.ok(wal.length > 16384 * 2, 'both batches are in the write-ahead log')
  t.ok(wal.equals(walOf(chained.location)), 'the write-ahead logs are byte for byte the same')
})

t.test('the contents follow db/write_batch.cc: header, then each record with its varint lengths', async (t) => {
  const ops: WriteOp[] = [{ space: 'keys', key: Buffer.from([0xaa]), value: Buffer.alloc(200, 0xbb) }, { space: 'temp', key: Buffer.from([0xcc, 0xdd]), value: null }]
  const rep = batchContents(ops, prefixOf)
  const expected = Buffer.concat([
    Buffer.alloc(8), Buffer.from([2, 0, 0, 0]),
    Buffer.from([1, 7]), Buffer.from('!keys!', 'latin1'), Buffer.from([0xaa]), Buffer.from([200, 1]), Buffer.alloc(200, 0xbb),
    Buffer.from([0, 8]), Buffer.from('!temp!', 'latin1'), Buffer.from([0xcc, 0xdd])
  ])
  t.ok(rep.equals(expected), 'sequence 0, count 2, a put (200 = 0xc8 0x01) and a deletion')
  t.equal(batchContents([], prefixOf).length, 12, 'no ops: the header alone')
})

t.test('malformed contents are refused before anything reaches the log', async (t) => {
  const { db } = await opened(t, 'refused')
  t.teardown(async () => { await db.close() })
  const write = contentsWrite(db)
  const good = batchContents(OPS.slice(0, 2), prefixOf)
  const wrongCount = Buffer.from(good)
  wrongCount.writeUInt32LE(3, 8)
  await t.rejects(write(wrongCount, { sync: true }), { code: 'LEVEL_CORRUPTION' }, 'a count that does not match the records')
  await t.rejects(write(good.subarray(0, good.length - 1), { sync: true }), { code: 'LEVEL_CORRUPTION' }, 'a record cut short')
  await t.rejects(write(Buffer.alloc(11), { sync: true }), { code: 'LEVEL_CORRUPTION' }, 'shorter than the header')
  t.same(await db.iterator().all(), [], 'nothing was written')
  await write(good, { sync: true })
  t.equal((await db.iterator().all()).length, 2, 'a well-formed batch after them is written')
})

t.test('a closed database refuses the write', async (t) => {
  const { db } = await opened(t, 'closed')
  const write = contentsWrite(db)
  await db.close()
  await t.rejects(write(batchContents(OPS, prefixOf), { sync: true }), { code: 'LEVEL_DATABASE_NOT_OPEN' })
})
