// LevelStore's iterator reads stay within ITERATOR_HIGH_WATER_BYTES (plus the entry that crosses it):
// classic-level keeps an iterator's last read in native memory until V8 collects it (issue 18).
import t from 'tap'
import path from 'node:path'
import { ITERATOR_HIGH_WATER_BYTES, LevelStore } from '../../../server/src/store/level-store.ts'
import type { Range } from '../../../server/src/store/store.ts'
import type { Space, WriteOp } from '../../../server/src/store/layout.ts'
import { TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

class Probe extends LevelStore {
  async put (ops: readonly WriteOp[]): Promise<void> { await this._write(ops) }
  chunks (space: Space, range: Range): AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>> { return this._iterate(space, range) }
}

t.test('one read gathers no more than the high-water mark and one entry; every entry comes, in order', async (t) => {
  const store = new Probe({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const VALUE = 32 << 10
  const N = 64
  const key = (i: number): Buffer => Buffer.from(`k${String(i).padStart(4, '0')}`)
  await store.put(Array.from({ length: N }, (_, i) => ({ space: 'history' as const, key: key(i), value: Buffer.alloc(VALUE, i) })))
  const seen: string[] = []
  let largest = 0
  let reads = 0
  for await (const chunk of store.chunks('history', {})) {
    reads++
    largest = Math.max(largest, chunk.reduce((n, [k, v]) => n + k.length + v.length, 0))
    for (const [k] of chunk) seen.push(k.toString())
  }
  t.ok(largest <= ITERATOR_HIGH_WATER_BYTES + VALUE + 64, `largest read ${largest} bytes`)
  t.ok(reads >= Math.floor((N * VALUE) / (ITERATOR_HIGH_WATER_BYTES + VALUE)), `${reads} reads for ${N * VALUE} bytes`)
  t.same(seen, Array.from({ length: N }, (_, i) => key(i).toString()))
})
