// How a range is read (level-read.ts, issue 18: store RSS): reads grow from FIRST_CHUNK entries, and an
// iterator done with — read to its end or left by its caller — first reads once out of its range, which
// makes classic-level drop the copies of its last read, then closes. Keys-only ranges copy no values.
import t from 'tap'
import path from 'node:path'
import { FIRST_CHUNK, ITERATOR_CHUNK, readAhead, type ChunkedIterator } from '../../../server/src/store/level-read.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import type { Range } from '../../../server/src/store/store.ts'
import type { Space, WriteOp } from '../../../server/src/store/layout.ts'
import { TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

type Rows = ReadonlyArray<readonly [Buffer, Buffer]>

/** An iterator over `rows` that records what it is asked. */
function fakeIterator (rows: Rows): { iterator: ChunkedIterator, calls: string[] } {
  const calls: string[] = []
  let at = 0
  const iterator: ChunkedIterator = {
    nextv: async (size) => {
      calls.push(`nextv ${size}`)
      const chunk = rows.slice(at, at + size)
      at += chunk.length
      return chunk
    },
    seek: (target) => {
      calls.push(`seek ${target.length === 0 ? 'first' : target.every((b) => b === 0xff) ? 'past' : 'key'}`)
      at = rows.length
    },
    close: async () => { calls.push('close') }
  }
  return { iterator, calls }
}

const rows = (n: number): Rows => Array.from({ length: n }, (_, i) => [Buffer.from([i >> 8, i & 0xff]), Buffer.alloc(1)] as const)
const settled = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

t.test('reads grow fourfold from FIRST_CHUNK to ITERATOR_CHUNK; every row comes once, in order', async (t) => {
  const all = rows(3000)
  const { iterator, calls } = fakeIterator(all)
  const seen: Array<readonly [Buffer, Buffer]> = []
  for await (const chunk of readAhead(iterator)) seen.push(...chunk)
  await settled()
  t.same(seen, all)
  const sizes = calls.filter((c) => c.startsWith('nextv')).map((c) => Number(c.split(' ')[1]))
  t.same(sizes.slice(0, 5), [FIRST_CHUNK, FIRST_CHUNK * 4, FIRST_CHUNK * 16, ITERATOR_CHUNK, ITERATOR_CHUNK])
  t.same(calls.slice(-3), ['seek past', 'nextv 1', 'close'], 'read to its end: one empty read out of range, then closed')
})

t.test('an iterator its caller leaves reads once out of its range (after the read ahead), then closes', async (t) => {
  const forward = fakeIterator(rows(100))
  for await (const chunk of readAhead(forward.iterator)) if (chunk.length > 0) break
  await settled()
  t.same(forward.calls, [`nextv ${FIRST_CHUNK}`, `nextv ${FIRST_CHUNK * 4}`, 'seek past', 'nextv 1', 'close'])
  const backward = fakeIterator(rows(100))
  for await (const chunk of readAhead(backward.iterator, true)) if (chunk.length > 0) break
  await settled()
  t.same(backward.calls.slice(-3), ['seek first', 'nextv 1', 'close'], 'a reverse iterator seeks before its range')
})

class Probe extends LevelStore {
  async put (ops: readonly WriteOp[]): Promise<void> { await this._write(ops) }
  chunks (space: Space, range: Range): AsyncIterable<Rows> { return this._iterate(space, range) }
}

t.test('LevelStore: ranges left early or read backwards leave the data whole; values: false reads keys only', async (t) => {
  const store = new Probe({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const key = (i: number): Buffer => Buffer.from(`k${String(i).padStart(4, '0')}`)
  await store.put(Array.from({ length: 300 }, (_, i) => ({ space: 'history' as const, key: key(i), value: Buffer.alloc(100, i) })))
  for (let round = 0; round < 20; round++) {
    for await (const chunk of store.chunks('history', { gte: key(round) })) if (chunk.length > 0) break
    for await (const chunk of store.chunks('history', { lte: key(round + 100), reverse: true })) if (chunk.length > 0) break
  }
  const all: string[] = []
  for await (const chunk of store.chunks('history', {})) for (const [k, v] of chunk) all.push(`${k.toString()}:${v.length}:${v[0] ?? -1}`)
  t.same(all, Array.from({ length: 300 }, (_, i) => `${key(i).toString()}:100:${i & 0xff}`))
  const backwards: string[] = []
  for await (const chunk of store.chunks('history', { lt: key(10), reverse: true })) for (const [k] of chunk) backwards.push(k.toString())
  t.same(backwards, Array.from({ length: 10 }, (_, i) => key(9 - i).toString()))
  const keysOnly: Array<readonly [Buffer, Buffer]> = []
  for await (const chunk of store.chunks('history', { gte: key(5), limit: 3, values: false })) keysOnly.push(...chunk)
  t.same(keysOnly.map(([k, v]) => [k.toString(), v.length]), [[key(5).toString(), 0], [key(6).toString(), 0], [key(7).toString(), 0]])
})

t.test('LevelStore: ranges of an empty database, left early or read to their end, forwards and backwards', async (t) => {
  const store = new Probe({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  let rows = 0
  for (const range of [{}, { lte: Buffer.from('k9') }, { lte: Buffer.from('k9'), reverse: true }, { gte: Buffer.from('k0'), reverse: true }]) {
    for await (const chunk of store.chunks('history', range)) rows += chunk.length
    for await (const chunk of store.chunks('history', range)) if (chunk.length === 0) break
  }
  t.equal(rows, 0)
})
