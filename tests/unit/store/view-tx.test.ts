// The overlay's synchronous reads (view-tx.ts, issue 18: the store's serial thread): a value written in
// the group or fetched for it is answered without I/O; any other stops the step with NeedRead, and
// withReads takes the step's writes back, fetches that value and runs the step again — synchronously
// (no promise) when nothing was missing.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { NeedRead, ViewTx, withReads, type BaseReader } from '../../../server/src/store/view-tx.ts'
import { keyHash } from '../../../server/src/store/overlay-table.ts'
import type { Space } from '../../../server/src/store/layout.ts'

const b = (s: string): Buffer => Buffer.from(s, 'latin1')

/** A committed state in memory that counts the keys it is asked for. */
function committed (rows: Record<string, string>): { read: BaseReader, asked: string[] } {
  const asked: string[] = []
  const read: BaseReader = async (space: Space, keys: readonly Buffer[]) => keys.map((key) => {
    asked.push(`${space}/${key.toString('latin1')}`)
    const value = rows[`${space}/${key.toString('latin1')}`]
    return value === undefined ? undefined : b(value)
  })
  return { read, asked }
}

t.test('read answers what the group wrote or fetched, and throws NeedRead for anything else', async (t) => {
  const { read, asked } = committed({ 'history/a': 'A', 'history/b': 'B' })
  const tx = new ViewTx(read)
  t.throws(() => tx.read('history', b('a')), { name: 'NeedRead' }, 'not fetched yet')
  await tx.prefetch('history', [b('a'), b('z')])
  t.same(tx.read('history', b('a')), b('A'), 'fetched')
  t.equal(tx.read('history', b('z')), undefined, 'fetched and absent: no second read')
  tx.put('history', b('b'), b('B2'))
  t.same(tx.read('history', b('b')), b('B2'), 'written in the group, never read')
  tx.del('history', b('a'))
  t.equal(tx.read('history', b('a')), undefined, 'deleted in the group')
  let err: unknown
  try {
    tx.read('counts', b('a'))
  } catch (e) {
    err = e
  }
  if (!(err instanceof NeedRead)) return t.fail('NeedRead expected')
  t.equal(err.space, 'counts', 'names the space')
  t.same(err.key, b('a'), 'and the key')
  t.same(asked, ['history/a', 'history/z'])
})

t.test('withReads is synchronous when everything is in memory', async (t) => {
  const { read, asked } = committed({ 'dedup/k': 'V' })
  const tx = new ViewTx(read)
  await tx.prefetch('dedup', [b('k')])
  const result = withReads(tx, () => tx.read('dedup', b('k'))?.toString('latin1'))
  t.equal(result, 'V', 'a value, not a promise')
  t.same(asked, ['dedup/k'])
})

t.test('withReads takes back a step that missed a read, fetches it, and runs it again', async (t) => {
  const { read, asked } = committed({ 'history/x': 'X', 'kojin/y': 'Y' })
  const tx = new ViewTx(read)
  tx.put('counts', b('before'), b('1'))
  let runs = 0
  let restored = 0
  const result = withReads(tx, () => {
    runs++
    // Written before each read it misses: a half-done step must not leave these behind.
    tx.put('history', b(`run${runs}`), b('h'))
    const x = tx.read('history', b('x'))
    const y = tx.read('kojin', b('y'))
    return `${x?.toString('latin1') ?? ''}${y?.toString('latin1') ?? ''}`
  }, () => { restored++ })
  t.ok(result instanceof Promise, 'a missed read makes it asynchronous')
  t.equal(await result, 'XY')
  t.equal(runs, 3, 'run once per missed read, and once more')
  t.equal(restored, 2, 'restore is called for each run taken back')
  t.same(asked, ['history/x', 'kojin/y'], 'each missed value fetched once')
  t.same(tx.ops().map((op) => `${op.space}/${op.key.toString('latin1')}`).sort(), ['counts/before', 'history/run3'], 'only the last run\'s writes and what came before the step')
})

t.test('withReads passes on any other error, with the step\'s writes left for its caller to take back', async (t) => {
  const tx = new ViewTx(committed({}).read)
  t.throws(() => withReads(tx, () => { throw new RangeError('planning failed') }), { name: 'RangeError', message: 'planning failed' })
})

// The overlay's table (overlay-table.ts): slots found by space and the key's bytes, not by a string.
// Against a plain model (Maps keyed by space/latin1, as view-tx.ts kept it before): thousands of keys
// (the table's index doubles several times), one key's bytes in several spaces, equal bytes in
// different Buffers, writes taken back and made again — every read, every committed value read
// through `written`, and ops() in the model's order (spaces by first write, keys by surviving write).
// With no size given, and with arrays made for fewer keys than the group then touches.
for (const expectedKeys of [0, 1000]) t.test(`the table answers as Maps keyed by space and latin1 string would, read for read and op for op (expectedKeys ${expectedKeys})`, async (t) => {
  const spaces: Space[] = ['history', 'kojin', 'counts', 'dedup']
  const rows: Record<string, string> = {}
  for (let i = 0; i < 3000; i += 3) rows[`kojin/k${i}`] = `v${i}`
  const { read } = committed(rows)
  const tx = new ViewTx(read, expectedKeys)
  const model = new Map<Space, Map<string, Buffer | null>>()
  const journal: Array<{ space: Space, id: string, previous: Buffer | null | undefined }> = []
  const put = (space: Space, id: string, value: Buffer | null): void => {
    let m = model.get(space)
    if (m === undefined) model.set(space, m = new Map())
    journal.push({ space, id, previous: m.get(id) })
    m.set(id, value)
    // A fresh Buffer each time: the table must match bytes, not objects.
    if (value === null) tx.del(space, b(id))
    else tx.put(space, b(id), value)
  }
  await tx.prefetch('kojin', Array.from({ length: 3000 }, (_, i) => b(`k${i}`)))
  let seed = 7
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed % n
  }
  for (let i = 0; i < 6000; i++) put(spaces[next(spaces.length)] as Space, `k${next(3000)}`, next(5) === 0 ? null : b(`w${i}`))
  const mark = tx.mark()
  const markJournal = journal.length
  for (let i = 0; i < 500; i++) put(spaces[next(spaces.length)] as Space, `k${next(4000)}`, b(`x${i}`))
  tx.rollback(mark)
  while (journal.length > markJournal) {
    const undo = journal.pop() as typeof journal[number]
    const m = model.get(undo.space) as Map<string, Buffer | null>
    if (undo.previous === undefined) m.delete(undo.id)
    else m.set(undo.id, undo.previous)
  }
  for (let i = 0; i < 300; i++) put(spaces[next(spaces.length)] as Space, `k${next(4000)}`, b(`y${i}`))
  let wrong = 0
  for (const space of spaces) {
    for (let i = 0; i < 4000; i++) {
      const id = `k${i}`
      const mine = model.get(space)?.get(id)
      const expected = mine !== undefined ? mine ?? undefined : space === 'kojin' && i < 3000 ? (rows[`kojin/${id}`] === undefined ? undefined : b(rows[`kojin/${id}`] as string)) : 'NeedRead'
      let got: Buffer | undefined | 'NeedRead'
      try {
        got = tx.read(space, b(id))
      } catch (err) {
        if (!(err instanceof NeedRead)) throw err
        got = 'NeedRead'
      }
      if (typeof expected === 'string' || typeof got === 'string' || expected === undefined || got === undefined ? expected !== got : !expected.equals(got)) wrong++
      const written = tx.written(space, b(id))
      if (mine === undefined ? written !== undefined : mine === null ? written !== null : written === null || written === undefined || !mine.equals(written)) wrong++
    }
  }
  t.equal(wrong, 0, 'every read and every written() of 4 spaces × 4000 keys')
  const expectedOps = [...model].flatMap(([space, m]) => [...m].map(([id, value]) => `${space}/${id}=${value?.toString('latin1') ?? 'del'}`))
  t.same(tx.ops().map((op) => `${op.space}/${op.key.toString('latin1')}=${op.value?.toString('latin1') ?? 'del'}`), expectedOps, 'ops in the Maps\' order')
  t.equal(tx.size, expectedOps.length, 'size counts the keys written')
})

t.test('prefetch asks for a key once, not for one written or fetched, and a failed read leaves it unfetched', async (t) => {
  const asked: string[] = []
  let fail = true
  const tx = new ViewTx(async (space, keys) => {
    asked.push(...keys.map((k) => `${space}/${k.toString('latin1')}`))
    if (fail) throw new Error('read failed')
    return keys.map(() => b('v'))
  })
  await t.rejects(tx.prefetch('dedup', [b('a'), b('a')]), { message: 'read failed' })
  t.throws(() => tx.read('dedup', b('a')), { name: 'NeedRead' }, 'not fetched after a failed read')
  fail = false
  tx.put('dedup', b('w'), b('mine'))
  await tx.prefetch('dedup', [b('a'), b('w'), b('a'), b('z')])
  await tx.prefetch('dedup', [b('a'), b('z')])
  t.same(asked, ['dedup/a', 'dedup/a', 'dedup/z'], 'once per prefetch while unknown; never a written key')
  t.same(tx.read('dedup', b('w')), b('mine'))
  t.same(tx.read('dedup', b('a')), b('v'))
})

t.test('two keys whose hashes are equal are two slots: the bytes decide', async (t) => {
  // A 32-bit hash: among 200,000 random 8-byte keys a few pairs share one (birthday bound).
  const seen = new Map<number, Buffer>()
  let pair: [Buffer, Buffer] | undefined
  for (let i = 0; pair === undefined && i < 2_000_000; i++) {
    const key = randomBytes(8)
    const h = keyHash('dedup', key)
    const other = seen.get(h)
    if (other !== undefined && !other.equals(key)) pair = [other, key]
    else seen.set(h, key)
  }
  if (pair === undefined) return t.fail('no two keys with one hash')
  const [first, second] = pair
  const tx = new ViewTx(committed({}).read)
  tx.put('dedup', first, b('first'))
  t.throws(() => tx.read('dedup', second), { name: 'NeedRead' }, 'the other key is not the written one')
  t.equal(tx.written('dedup', second), undefined)
  tx.put('dedup', second, b('second'))
  t.same(tx.read('dedup', first), b('first'))
  t.same(tx.read('dedup', second), b('second'))
  t.equal(tx.ops().length, 2)
})

t.test('after endReads the overlay answers what it holds and reads nothing more', async (t) => {
  const { read, asked } = committed({ 'history/a': 'A' })
  const tx = new ViewTx(read)
  await tx.prefetch('history', [b('a')])
  tx.put('history', b('b'), b('B'))
  tx.endReads()
  t.same(tx.read('history', b('a')), b('A'), 'fetched before')
  t.same(tx.written('history', b('b')), b('B'), 'written before')
  t.same(tx.ops().map((op) => op.key.toString('latin1')), ['b'])
  await tx.prefetch('history', [b('a'), b('b')])
  t.same(asked, ['history/a'], 'nothing asked for what it holds')
  await t.rejects(tx.prefetch('history', [b('z')]), /after the group was planned/, 'a new read is a bug, not a silent read of the committed state')
})
