// Micro-batching: updates of many CS in one AppendRequest per tick; a CS never has two requests in
// flight; a failed request fails what its CS queued after it, and nothing of the other CS.
import t from 'tap'
import { AppendBatcher } from '../../../gateway/src/append-batcher.ts'
import { ResultStatus, type AppendItem } from '../../../proto/src/types.ts'
import type { EncodedUpdateResult } from '../../../server/src/store/append-client.ts'

interface Call { items: AppendItem[], resolve: (r: EncodedUpdateResult[]) => void, reject: (e: Error) => void }

function sink (): { calls: Call[], append: (items: AppendItem[]) => Promise<EncodedUpdateResult[]> } {
  const calls: Call[] = []
  return {
    calls,
    append: async (items) => await new Promise((resolve, reject) => { calls.push({ items, resolve, reject }) })
  }
}
const item = (code: string, sequence: number): AppendItem => ({ municipalityCode: code, payloadSha256: new Uint8Array(32), update: { sequence } as AppendItem['update'] })
const resultOf = (i: AppendItem): EncodedUpdateResult => ({ bytes: Buffer.alloc(0), municipalityCode: i.municipalityCode, stream: 1, sequence: i.update?.sequence ?? 0, status: ResultStatus.ACCEPTED, reasonCode: '' })
const answer = (c: Call | undefined): void => { c?.resolve(c.items.map(resultOf)) }
const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }
const seqs = (c: Call | undefined): Array<string> => (c?.items ?? []).map((i) => `${i.municipalityCode}:${i.update?.sequence ?? 0}`)

t.test('one tick, many CS, one AppendRequest; results go back to their callers', async (t) => {
  const s = sink()
  const b = new AppendBatcher(s, { maxBatchItems: 100, maxAppendsInFlight: 4 })
  const results = [b.append(item('A', 1)), b.append(item('B', 1)), b.append(item('A', 2))]
  await tick()
  t.equal(s.calls.length, 1)
  t.same(seqs(s.calls[0]), ['A:1', 'B:1', 'A:2'])
  answer(s.calls[0])
  t.same((await Promise.all(results)).map((r) => `${r.municipalityCode}:${r.sequence}`), ['A:1', 'B:1', 'A:2'])
})

t.test('a CS with a request in flight waits; other CS go ahead in a second request', async (t) => {
  const s = sink()
  const b = new AppendBatcher(s, { maxBatchItems: 100, maxAppendsInFlight: 4 })
  void b.append(item('A', 1))
  await tick()
  void b.append(item('A', 2))
  void b.append(item('B', 1))
  void b.append(item('A', 3))
  await tick()
  t.equal(s.calls.length, 2)
  t.same(seqs(s.calls[1]), ['B:1'], 'B goes, A waits for its first answer')
  t.equal(b.queued, 2)
  answer(s.calls[0])
  await tick()
  await tick()
  t.same(seqs(s.calls[2]), ['A:2', 'A:3'], 'then A, in order')
})

t.test('maxBatchItems and maxAppendsInFlight bound the requests', async (t) => {
  const s = sink()
  const b = new AppendBatcher(s, { maxBatchItems: 2, maxAppendsInFlight: 2 })
  for (const code of ['A', 'B', 'C', 'D', 'E', 'F']) void b.append(item(code, 1))
  await tick()
  t.same(s.calls.map(seqs), [['A:1', 'B:1'], ['C:1', 'D:1']], 'two requests of two')
  answer(s.calls[0])
  await tick()
  await tick()
  t.same(seqs(s.calls[2]), ['E:1', 'F:1'])
})

t.test('a failed request fails its items and what the same CS queued after, nothing else', async (t) => {
  const s = sink()
  const b = new AppendBatcher(s, { maxBatchItems: 100, maxAppendsInFlight: 4 })
  const a1 = b.append(item('A', 1))
  await tick()
  const a2 = b.append(item('A', 2))
  const b1 = b.append(item('B', 1))
  await tick()
  const outcome = Promise.allSettled([a1, a2])
  s.calls[0]?.reject(new Error('store down'))
  const [r1, r2] = await outcome
  t.equal(r1?.status, 'rejected')
  t.equal(r2?.status, 'rejected', 'A:2 must not overtake the failed A:1')
  answer(s.calls[1])
  t.equal((await b1).sequence, 1, 'B unaffected')
  t.equal(b.queued, 0)
})

t.test('a request takes the waiting CS\' items in arrival order, cut at maxBatchItems, the rest kept in order', async (t) => {
  const s = sink()
  const b = new AppendBatcher(s, { maxBatchItems: 5, maxAppendsInFlight: 4 })
  void b.append(item('A', 1))
  await tick()
  for (const [code, n] of [['B', 1], ['A', 2], ['C', 1], ['A', 3], ['B', 2], ['C', 2], ['D', 1], ['A', 4], ['B', 3]] as const) void b.append(item(code, n))
  await tick()
  t.same(s.calls.map(seqs), [['A:1'], ['B:1', 'C:1', 'B:2', 'C:2', 'D:1']], 'A waits; the others in arrival order, five of them')
  t.equal(b.queued, 4, 'A:2, A:3, A:4 and B:3 wait')
  answer(s.calls[0])
  await tick()
  await tick()
  t.same(seqs(s.calls[2]), ['A:2', 'A:3', 'A:4'], 'A\'s next request: B still has one in flight')
  answer(s.calls[1])
  await tick()
  await tick()
  t.same(seqs(s.calls[3]), ['B:3'])
  t.equal(b.queued, 0)
})

t.test('a CS\'s next request leaves when its request is answered, before that one\'s results are handed out', async (t) => {
  // So the store plans it while the gateway writes the PUBACKs and results (append-batcher.ts #send).
  const s = sink()
  const b = new AppendBatcher(s, { maxBatchItems: 100, maxAppendsInFlight: 4 })
  const events: string[] = []
  const first = b.append(item('A', 1)).then(() => { events.push(`A:1 handed out; requests sent ${s.calls.length}`) })
  await tick()
  void b.append(item('A', 2))
  void b.append(item('A', 3))
  await tick()
  t.equal(s.calls.length, 1, 'A:2 and A:3 wait while A:1 is in flight')
  answer(s.calls[0])
  await first
  t.same(events, ['A:1 handed out; requests sent 2'], 'A:2 and A:3 were sent before A:1\'s result was handed out')
  t.same(seqs(s.calls[1]), ['A:2', 'A:3'], 'in order')
})
