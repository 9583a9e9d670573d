// The overlay's synchronous reads (view-tx.ts, issue 18: the store's serial thread): a value written in
// the group or fetched for it is answered without I/O; any other stops the step with NeedRead, and
// withReads takes the step's writes back, fetches that value and runs the step again — synchronously
// (no promise) when nothing was missing.
import t from 'tap'
import { NeedRead, ViewTx, withReads, type BaseReader } from '../../../server/src/store/view-tx.ts'
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
