// The gateway's side of the append socket, against a store.proto double that can stall, fail and
// crash on cue (the real store cannot be asked to): the PUBACK waits for the store; what the store
// did not commit is never acknowledged; a store restart needs no gateway restart; updates of many
// CS share AppendRequests while each CS's order is kept (SPEC §3, §4).
import t from 'tap'
import { createHash } from 'node:crypto'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus, Stream } from '../../../proto/src/types.ts'
import { startGatewayWithDouble, FUKUOKA, KITAKYUSHU, KURUME } from './helpers/gateway.ts'
import { connectCs, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'

const env = await startGatewayWithDouble([FUKUOKA, KITAKYUSHU, KURUME], { storeRetryMs: 50 })
t.teardown(env.close)
const cred = (code: string): Credential => env.pki.cs.get(code) as Credential
const clientId = (code: string): string => `cs-${code}`

t.test('the PUBACK waits until the store has answered', async (t) => {
  const c = await connectCs(env.port, env.pki.ca, cred(FUKUOKA), clientId(FUKUOKA))
  env.store.delayMs = 300
  const started = Date.now()
  const before = env.store.items.length
  await c.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, 1), { qos: 1 })
  env.store.delayMs = 0
  t.ok(Date.now() - started >= 290, 'the PUBACK came after the store\'s answer')
  t.equal(env.store.items.length, before + 1)
  const item = env.store.items.at(-1)
  t.equal(item?.municipalityCode, FUKUOKA, 'the municipality is the certificate\'s')
  t.equal(item?.update?.sequence, 1)
  await c.endAsync(true)
})

t.test('a rejected update reaches the store as a PreRejection with what could be read', async (t) => {
  const c = await connectCs(env.port, env.pki.ca, cred(FUKUOKA), clientId(FUKUOKA))
  const payload = payloadFor(FUKUOKA, 2, 2, { stream: Stream.ABNORMAL, requestId: 'REQ-X', timestamp: 'not a time' })
  await c.publishAsync(topicFor('update', FUKUOKA), payload, { qos: 1 })
  const item = env.store.items.at(-1)
  t.equal(item?.update ?? undefined, undefined, 'no update body')
  t.same(item?.rejection, { reasonCode: 'KEN_REJECT_BAD_TIMESTAMP', field: 'timestamp', stream: Stream.ABNORMAL, sequence: 2, requestId: 'REQ-X', payloadLength: payload.length })
  t.same(Buffer.from(item?.payloadSha256 ?? []), createHash('sha256').update(payload).digest())
  await c.endAsync(true)
})

t.test('what the store did not commit gets no PUBACK; the CS redelivers on a new link', async (t) => {
  const cs = await connectCs(env.port, env.pki.ca, cred(KITAKYUSHU), clientId(KITAKYUSHU))
  let acked = false
  const closed = new Promise<void>((resolve) => cs.once('close', () => { resolve() }))
  env.store.failNext = 1
  cs.publish(topicFor('update', KITAKYUSHU), payloadFor(KITAKYUSHU, 1), { qos: 1 }, (err) => { if (err === undefined || err === null) acked = true })
  await closed
  t.notOk(acked, 'no PUBACK')
  t.notOk(env.store.items.some((i) => i.municipalityCode === KITAKYUSHU), 'nothing of it committed')
  cs.end(true)

  const again = await connectCs(env.port, env.pki.ca, cred(KITAKYUSHU), clientId(KITAKYUSHU))
  const inbox = new ResultInbox(again)
  await again.subscribeAsync(topicFor('result', KITAKYUSHU), { qos: 1 })
  await again.publishAsync(topicFor('update', KITAKYUSHU), payloadFor(KITAKYUSHU, 1), { qos: 1 })
  const [r] = await inbox.waitFor(1)
  t.equal(r?.status, ResultStatus.ACCEPTED, 'the redelivery is the first commit')
  t.ok((await env.gw.metrics()).store.failedBatches >= 1)
  await again.endAsync(true)
})

t.test('the store restarting (connection dropped) needs no gateway restart', async (t) => {
  // A persistent session keeps the result subscription across the reconnect (mqtt.js redelivers
  // the unacknowledged update before it would re-subscribe on a clean session).
  const c = await connectCs(env.port, env.pki.ca, cred(KURUME), clientId(KURUME), { reconnectPeriod: 100, clean: false })
  t.teardown(() => { c.end(true) })
  const inbox = new ResultInbox(c)
  await c.subscribeAsync(topicFor('result', KURUME), { qos: 1 })
  env.store.delayMs = 200
  const pending = c.publishAsync(topicFor('update', KURUME), payloadFor(KURUME, 1), { qos: 1 })
  await new Promise((resolve) => setTimeout(resolve, 50))
  env.store.dropConnections()
  env.store.delayMs = 0
  // mqtt.js redelivers the unacknowledged update after reconnecting; the gateway reconnects to the store.
  await pending
  const results = await inbox.waitFor(1)
  t.ok(results.some((r) => r.sequence === 1 && (r.status === ResultStatus.ACCEPTED || r.status === ResultStatus.DUPLICATE)))
  await c.publishAsync(topicFor('update', KURUME), payloadFor(KURUME, 2), { qos: 1 })
  const after = await inbox.waitFor(2)
  t.equal(after.at(-1)?.status, ResultStatus.ACCEPTED, 'accepting again')
  await c.endAsync(true)
})

t.test('updates of many CS share AppendRequests and each CS keeps its order', async (t) => {
  const codes = [FUKUOKA, KITAKYUSHU, KURUME]
  const clients = await Promise.all(codes.map(async (code) => await connectCs(env.port, env.pki.ca, cred(code), clientId(code))))
  const from = env.store.items.length
  const batchesFrom = env.store.batches.length
  const N = 60
  await Promise.all(clients.map(async (c, k) => {
    const code = codes[k] as string
    await Promise.all(Array.from({ length: N }, async (_, i) => await c.publishAsync(topicFor('update', code), payloadFor(code, 100 + i), { qos: 1 })))
  }))
  const items = env.store.items.slice(from)
  for (const code of codes) {
    const seqs = items.filter((i) => i.municipalityCode === code).map((i) => i.update?.sequence)
    t.same(seqs, Array.from({ length: N }, (_, i) => 100 + i), `${code}: committed in arrival order`)
  }
  const batches = env.store.batches.slice(batchesFrom)
  t.ok(batches.length < codes.length * N, `${codes.length * N} updates in ${batches.length} AppendRequests`)
  t.ok(batches.some((n) => n > 1), 'some AppendRequests carry several updates')
  await Promise.all(clients.map(async (c) => { await c.endAsync(true) }))
})
