// The ingest over a real TLS socket, in front of the real store daemon: an update is committed
// before its PUBACK and answered on the CS's result topic; malformed, unknown-field,
// wrong-municipality and oversized payloads are committed as rejections, acknowledged and answered
// REJECTED while the link stays up (SPEC §3).
import t from 'tap'
import { createHash } from 'node:crypto'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { startTestGateway, FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { connectCs, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor, withUnknownField } from './helpers/updates.ts'

const env = await startTestGateway([FUKUOKA, KITAKYUSHU], { maxUpdateBytes: 2048, maxPacketBytes: 8192 })
t.teardown(env.close)
const cred = env.pki.cs.get(FUKUOKA)
if (cred === undefined) throw new Error('no credential')
const UPDATE = topicFor('update', FUKUOKA)

const client = await connectCs(env.port, env.pki.ca, cred, 'cs-401307')
t.teardown(async () => { await client.endAsync(true) })
const inbox = new ResultInbox(client)
const granted = await client.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })

t.test('the CS may subscribe to its own result topic', async (t) => {
  t.equal(granted[0]?.qos, 1)
})

t.test('an update is committed before its PUBACK and answered ACCEPTED', async (t) => {
  const payload = payloadFor(FUKUOKA, 1)
  const before = env.position()
  await client.publishAsync(UPDATE, payload, { qos: 1 })
  t.equal(env.position(), before + 1, 'the entry was in the log when the PUBACK arrived')
  const [result] = await inbox.waitFor(1)
  t.equal(result?.status, ResultStatus.ACCEPTED)
  t.equal(result?.municipalityCode, FUKUOKA)
  t.equal(result?.sequence, 1)
  t.equal(result?.requestId, 'REQ-1')
  t.equal(result?.logPosition, before + 1)
  t.equal(result?.entryHash.length, 32)
  t.same(Buffer.from(result?.payloadSha256 ?? []), createHash('sha256').update(payload).digest())
})

t.test('a redelivered update is answered DUPLICATE and not applied again', async (t) => {
  const before = env.position()
  await client.publishAsync(UPDATE, payloadFor(FUKUOKA, 1), { qos: 1 })
  const results = await inbox.waitFor(2)
  t.equal(results[1]?.status, ResultStatus.DUPLICATE)
  t.equal(results[1]?.sequence, 1)
  t.equal(results[1]?.logPosition, results[0]?.logPosition, 'the first result repeated')
  t.equal(env.position(), before, 'nothing new in the log')
})

const rejections: Array<[string, Buffer, string, string]> = [
  ['wrong municipality in the payload', payloadFor(KITAKYUSHU, 2), 'KEN_REJECT_MUNICIPALITY_MISMATCH', 'municipality_code'],
  ['malformed protobuf', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), 'KEN_REJECT_MALFORMED', ''],
  ['an unknown field', withUnknownField(payloadFor(FUKUOKA, 3)), 'KEN_REJECT_UNKNOWN_FIELD', '#99'],
  ['a payload above maxUpdateBytes', Buffer.alloc(4096, 0x41), 'KEN_REJECT_OVERSIZED', ''],
  ['a failed field check', payloadFor(FUKUOKA, 4, 4, { timestamp: 'yesterday' }), 'KEN_REJECT_BAD_TIMESTAMP', 'timestamp'],
  ['an empty payload', Buffer.alloc(0), 'KEN_REJECT_MISSING_FIELD', 'municipality_code']
]

for (const [name, payload, code, field] of rejections) {
  t.test(`${name}: acknowledged, committed as a rejection, answered REJECTED, link up`, async (t) => {
    const n = inbox.results.length
    const before = env.position()
    await client.publishAsync(UPDATE, payload, { qos: 1 })
    t.equal(env.position(), before + 1, 'the rejection record was committed before the PUBACK')
    const results = await inbox.waitFor(n + 1)
    const r = results[n]
    t.equal(r?.status, ResultStatus.REJECTED)
    t.equal(r?.reasonCode, code)
    t.equal(r?.field, field)
    t.equal(r?.logPosition, before + 1, 'the result names the rejection record')
    t.same(Buffer.from(r?.payloadSha256 ?? []), createHash('sha256').update(payload).digest(), 'the CS can match it by payload hash')
    t.ok(client.connected, 'the link stays up')
  })
}

t.test('after the rejections the link still carries accepted updates', async (t) => {
  const n = inbox.results.length
  await client.publishAsync(UPDATE, payloadFor(FUKUOKA, 5), { qos: 1 })
  const results = await inbox.waitFor(n + 1)
  t.equal(results[n]?.status, ResultStatus.ACCEPTED)
  t.equal(results[n]?.sequence, 5)
})

t.test('metrics count per municipality and reason', async (t) => {
  const m = (await env.gw.metrics()).municipalities[FUKUOKA]
  t.equal(m?.accepted, 2)
  t.equal(m?.duplicate, 1)
  t.equal(m?.rejected.KEN_REJECT_MALFORMED, 1)
  t.equal(m?.rejected.KEN_REJECT_MUNICIPALITY_MISMATCH, 1)
  t.equal(m?.connections, 1)
  t.equal(m?.inflight, 0)
})
