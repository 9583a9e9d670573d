// LevelStore#_keysIn (a 4情報 search's candidates, issue 18) reads a short key range with one iterator
// on the database itself, the space's prefix put on the bounds: it must answer exactly the keys the
// space's own range read (_iterate, through the sublevel) answers — no key of a neighbouring space, the
// limit kept, and the whole range even when it passes one read's high-water mark.
import t from 'tap'
import path from 'node:path'
import { ITERATOR_HIGH_WATER_BYTES, LevelStore } from '../../../server/src/store/level-store.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { prefixEnd } from '../../../server/src/store/layout.ts'
import type { Space, WriteOp } from '../../../server/src/store/layout.ts'
import { TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

interface Probe {
  put: (ops: readonly WriteOp[]) => Promise<void>
  keysIn: (space: Space, gte: Buffer, lt: Buffer, limit: number) => Promise<Buffer[]>
  iterated: (space: Space, gte: Buffer, lt: Buffer, limit: number) => Promise<Buffer[]>
}

class LevelProbe extends LevelStore implements Probe {
  async put (ops: readonly WriteOp[]): Promise<void> { await this._write(ops) }
  async keysIn (space: Space, gte: Buffer, lt: Buffer, limit: number): Promise<Buffer[]> { return await this._keysIn(space, gte, lt, limit) }
  async iterated (space: Space, gte: Buffer, lt: Buffer, limit: number): Promise<Buffer[]> {
    const out: Buffer[] = []
    for await (const chunk of this._iterate(space, { gte, lt, limit })) for (const [key] of chunk) out.push(key)
    return out
  }
}

class MemoryProbe extends MemoryStore implements Probe {
  async put (ops: readonly WriteOp[]): Promise<void> { await this._write(ops) }
  async keysIn (space: Space, gte: Buffer, lt: Buffer, limit: number): Promise<Buffer[]> { return await this._keysIn(space, gte, lt, limit) }
  async iterated (): Promise<Buffer[]> { return [] }
}

const hex = (keys: readonly Buffer[]): string[] => keys.map((k) => k.toString('hex'))
/** A token of 32 bytes; 0x30 ‖ 0xff… is one whose end (prefixEnd) is shorter than itself. */
const token = (n: number): Buffer => n === 0xff ? Buffer.concat([Buffer.of(0x30), Buffer.alloc(31, 0xff)]) : Buffer.alloc(32, n)
/** A search key's entries: token ‖ subject, as the search view writes them. */
const entries = (space: Space, n: number, subjects: number, subjectBytes = 32): WriteOp[] =>
  Array.from({ length: subjects }, (_, i) => ({ space, key: Buffer.concat([token(n), Buffer.alloc(subjectBytes - 4, i & 0xff), Buffer.from(Uint32Array.of(i).buffer).reverse()]), value: Buffer.alloc(0) }))

t.test('the keys of one search key, as the sublevel reads them; neighbours and other spaces left out; limit kept', async (t) => {
  const level = new LevelProbe({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  const memory = new MemoryProbe()
  for (const store of [level, memory]) {
    await store.open()
    // Neighbouring tokens (0x10…, 0x12…) in `search`, and the same token in `actidx` (next to it in the
    // views database) and `rdigest` (before it).
    await store.put([...entries('search', 0x10, 3), ...entries('search', 0x11, 7), ...entries('search', 0x12, 2), ...entries('actidx', 0x11, 4), ...entries('rdigest', 0x11, 4), ...entries('search', 0xff, 2)])
  }
  t.teardown(async () => { await level.close(); await memory.close() })

  const all = await level.keysIn('search', token(0x11), prefixEnd(token(0x11)), 1001)
  t.equal(all.length, 7, 'the 7 subjects of the token')
  t.ok(all.every((k) => k.subarray(0, 32).equals(token(0x11))), 'each under the token, without the space prefix')
  t.same(hex(all), hex(await level.iterated('search', token(0x11), prefixEnd(token(0x11)), 1001)), 'the sublevel range read answers the same keys')
  t.same(hex(all), hex(await memory.keysIn('search', token(0x11), prefixEnd(token(0x11)), 1001)), 'MemoryStore (the default through _iterate) answers the same keys')
  t.same(hex(await level.keysIn('search', token(0x11), prefixEnd(token(0x11)), 3)), hex(all.slice(0, 3)), 'limit 3: the first 3 in key order')
  t.same(await level.keysIn('search', token(0x13), prefixEnd(token(0x13)), 10), [], 'a token with no entry')
  t.same(hex(await level.keysIn('search', token(0xff), prefixEnd(token(0xff)), 10)), hex(await level.iterated('search', token(0xff), prefixEnd(token(0xff)), 10)), 'a token ending in 0xff bytes (prefixEnd shortens it)')
  t.equal((await level.keysIn('search', token(0xff), prefixEnd(token(0xff)), 10)).length, 2)
})

t.test('a range longer than one read\'s high-water mark comes whole, in order, up to the limit', async (t) => {
  const store = new LevelProbe({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const subjectBytes = 1024
  const n = Math.ceil((3 * ITERATOR_HIGH_WATER_BYTES) / subjectBytes)
  await store.put(entries('search', 0x20, n, subjectBytes))
  const keys = await store.keysIn('search', token(0x20), prefixEnd(token(0x20)), n + 10)
  t.equal(keys.length, n, `all ${n} keys (${n * subjectBytes} bytes: more than one read)`)
  t.same(hex(keys), hex(await store.iterated('search', token(0x20), prefixEnd(token(0x20)), n + 10)), 'in key order, as the sublevel reads them')
  t.equal((await store.keysIn('search', token(0x20), prefixEnd(token(0x20)), n - 5)).length, n - 5, 'the limit kept across reads')
})
