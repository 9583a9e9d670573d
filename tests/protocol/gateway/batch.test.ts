// A batch of updates in one PUBLISH (proto/ken/v1/batch.proto; issue 18), over a real TLS socket in
// front of the real store daemon: every update keeps its own 更新順番号, result and log entry; the
// PUBACK follows the durable commit of all of them; a batch cut in the middle and published again
// gets DUPLICATE for the committed part — one entry per update overall.
import t from 'tap'
import { createHash } from 'node:crypto'
import { decode, encode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus, type UpdateBatchResult } from '../../../proto/src/types.ts'
import { startTestGateway, FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { connectCs, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'

const env = await startTestGateway([FUKUOKA, KITAKYUSHU], { maxUpdateBytes: 2048, maxPacketBytes: 65536, maxBatchUpdates: 32 })
t.teardown(env.close)
const cred = env.pki.cs.get(FUKUOKA)
if (cred === undefined) throw new Error('no credential')
const BATCH = topicFor('updateBatch', FUKUOKA)
const UPDATE = topicFor('update', FUKUOKA)

const client = await connectCs(env.port, env.pki.ca, cred, 'cs-401307')
t.teardown(async () => { await client.endAsync(true) })
const singles = new ResultInbox(client)
const batches: UpdateBatchResult[] = []
let waiting: (() => void) | undefined
client.on('message', (topic, payload) => {
  if (topic !== topicFor('updateBatchResult', FUKUOKA)) return
  batches.push(decode('UpdateBatchResult', payload))
  waiting?.()
})
await client.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })
const granted = await client.subscribeAsync(topicFor('updateBatchResult', FUKUOKA), { qos: 1 })

async function batchResult (n: number): Promise<UpdateBatchResult> {
  for (let i = 0; i < 200 && batches.length < n; i++) await new Promise<void>((resolve) => { waiting = resolve; setTimeout(resolve, 50) })
  const r = batches[n - 1]
  if (r === undefined) throw new Error('no batch result')
  return r
}

function batchOf (sequences: readonly number[]): Buffer {
  return Buffer.from(encode('UpdateBatch', { updates: sequences.map((s) => payloadFor(FUKUOKA, s)) }))
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

t.test('the CS may subscribe to its own batch result topic', async (t) => {
  t.equal(granted[0]?.qos, 1)
})

t.test('a batch: one PUBACK after every update is committed, a result and an entry per update, in order', async (t) => {
  const before = env.position()
  const payload = batchOf(range(1, 10))
  await client.publishAsync(BATCH, payload, { qos: 1 })
  t.equal(env.position(), before + 10, 'all ten entries were in the log when the PUBACK arrived')
  const r = await batchResult(1)
  t.same(r.results.map((x) => x.sequence), range(1, 10))
  t.ok(r.results.every((x) => x.status === ResultStatus.ACCEPTED))
  t.same(r.results.map((x) => x.logPosition), range(before + 1, before + 10), 'one entry each, in the batch\'s order')
  t.same(Buffer.from(r.payloadSha256), createHash('sha256').update(payload).digest())
  t.same(Buffer.from(r.results[3]?.payloadSha256 ?? []), createHash('sha256').update(payloadFor(FUKUOKA, 4)).digest(), 'each update keeps its own payload hash')
})

t.test('a batch cut in the middle and published again: DUPLICATE for the committed part, one entry per update overall', async (t) => {
  // The first half of batch 11–20 was committed before the link was cut (as the store's group commit
  // may do), so the CS never got the PUBACK and publishes the whole batch again.
  for (const s of range(11, 15)) await client.publishAsync(UPDATE, payloadFor(FUKUOKA, s), { qos: 1 })
  const first = await singles.waitFor(5)
  const before = env.position()
  await client.publishAsync(BATCH, batchOf(range(11, 20)), { qos: 1 })
  const r = await batchResult(2)
  t.same(r.results.map((x) => x.status), [...Array(5).fill(ResultStatus.DUPLICATE), ...Array(5).fill(ResultStatus.ACCEPTED)])
  t.same(r.results.slice(0, 5).map((x) => x.logPosition), first.map((x) => x.logPosition), 'the first results repeated')
  t.equal(env.position(), before + 5, 'only the uncommitted half made entries')
  await client.publishAsync(BATCH, batchOf(range(11, 20)), { qos: 1 })
  t.ok((await batchResult(3)).results.every((x) => x.status === ResultStatus.DUPLICATE), 'and again: nothing new')
  t.equal(env.position(), before + 5)
})

t.test('a bad element is its own rejection record; the others are applied', async (t) => {
  const before = env.position()
  // The wrong-municipality element keeps its 更新順番号 22 (a rejection record is idempotent too); the
  // malformed one has none.
  const payload = Buffer.from(encode('UpdateBatch', { updates: [payloadFor(FUKUOKA, 21), payloadFor(KITAKYUSHU, 22), Buffer.from([0x0a, 0xff]), payloadFor(FUKUOKA, 23)] }))
  await client.publishAsync(BATCH, payload, { qos: 1 })
  const r = await batchResult(4)
  t.same(r.results.map((x) => [x.status, x.reasonCode]), [
    [ResultStatus.ACCEPTED, ''], [ResultStatus.REJECTED, 'KEN_REJECT_MUNICIPALITY_MISMATCH'], [ResultStatus.REJECTED, 'KEN_REJECT_MALFORMED'], [ResultStatus.ACCEPTED, '']
  ])
  t.equal(env.position(), before + 4, 'four entries')
})

t.test('a payload that is no batch, an empty batch, or too many updates: one rejection record, one REJECTED result', async (t) => {
  const cases: Array<[Buffer, string]> = [
    [Buffer.from([0x0a, 0xff, 0xff]), 'KEN_REJECT_MALFORMED'],
    [Buffer.alloc(0), 'KEN_REJECT_MALFORMED'],
    [batchOf(range(100, 132)), 'KEN_REJECT_OVERSIZED']
  ]
  let n = 4
  for (const [payload, code] of cases) {
    const before = env.position()
    await client.publishAsync(BATCH, payload, { qos: 1 })
    const r = await batchResult(++n)
    t.same(r.results.map((x) => [x.status, x.reasonCode]), [[ResultStatus.REJECTED, code]])
    t.equal(env.position(), before + 1)
    t.ok(client.connected, 'the link stays up')
  }
})

t.test('batches and single updates of one link keep their order', async (t) => {
  const before = env.position()
  const a = client.publishAsync(BATCH, batchOf(range(24, 30)), { qos: 1 })
  const b = client.publishAsync(UPDATE, payloadFor(FUKUOKA, 31), { qos: 1 })
  const c = client.publishAsync(BATCH, batchOf(range(32, 40)), { qos: 1 })
  await Promise.all([a, b, c])
  const single = (await singles.waitFor(6))[5]
  t.equal(single?.status, ResultStatus.ACCEPTED)
  t.equal(single?.expectedSequence, 0, 'no gap: 31 came after 30')
  t.equal(single?.logPosition, before + 8)
  const last = await batchResult(9)
  t.ok(last.results.every((x) => x.status === ResultStatus.ACCEPTED && x.expectedSequence === 0))
  t.equal(last.results.at(-1)?.logPosition, before + 17)
})
