// The link limits over a real TLS socket (SPEC §3): the in-flight cap, the update budget and the message rate slow the
// link down (backpressure) without dropping or reordering anything; new connections per second from
// one source are capped before TLS.
import t from 'tap'
import net from 'node:net'
import { encode } from '../../../proto/src/codec.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { startGatewayWithDouble, startTestGateway, FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { connectCs, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'

t.test('the in-flight cap holds PUBLISH packets back; nothing is lost or reordered', async (t) => {
  // The double can hold each answer and show what each AppendRequest carried.
  const env = await startGatewayWithDouble([FUKUOKA], { maxInflightPerCs: 2 })
  t.teardown(env.close)
  env.store.delayMs = 50
  const c = await connectCs(env.port, env.pki.ca, env.pki.cs.get(FUKUOKA) as Credential, 'cs-401307')
  const inbox = new ResultInbox(c)
  await c.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })
  let peak = 0
  const sampler = setInterval(() => { void env.gw.metrics().then((m) => { peak = Math.max(peak, m.municipalities[FUKUOKA]?.inflight ?? 0) }) }, 2)
  const N = 12
  await Promise.all(Array.from({ length: N }, async (_, i) => await c.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, i + 1), { qos: 1 })))
  clearInterval(sampler)
  t.ok(peak >= 1 && peak <= 2, `at most 2 in flight (peak ${peak})`)
  t.ok(env.store.batches.every((n) => n <= 2), 'no AppendRequest carried more than the cap')
  t.same(env.store.items.map((i) => i.update?.sequence), Array.from({ length: N }, (_, i) => i + 1), 'committed in arrival order')
  const results = await inbox.waitFor(N)
  t.ok(results.every((r) => r.status === ResultStatus.ACCEPTED))
  await c.endAsync(true)
})

t.test('the update budget counts the updates of batches: no more pending at the store, nothing lost or reordered', async (t) => {
  // 64 PUBLISH slots of 16-update batches would allow 1,024 updates; the budget allows 20.
  const env = await startGatewayWithDouble([FUKUOKA], { maxInflightPerCs: 64, maxBatchUpdates: 16, maxInflightUpdatesPerCs: 20 })
  t.teardown(env.close)
  env.store.delayMs = 20
  const c = await connectCs(env.port, env.pki.ca, env.pki.cs.get(FUKUOKA) as Credential, 'cs-401307')
  const BATCHES = 12
  const PER = 8
  await Promise.all(Array.from({ length: BATCHES }, async (_, b) => {
    const updates = Array.from({ length: PER }, (_, i) => payloadFor(FUKUOKA, b * PER + i + 1))
    return await c.publishAsync(topicFor('updateBatch', FUKUOKA), Buffer.from(encode('UpdateBatch', { updates })), { qos: 1 })
  }))
  t.ok(env.store.peakPending > 0 && env.store.peakPending <= 20, `at most 20 updates pending at the store (peak ${env.store.peakPending})`)
  t.equal(env.store.answered, BATCHES * PER, 'every update was answered before its PUBACK')
  t.same(env.store.items.map((i) => i.update?.sequence), Array.from({ length: BATCHES * PER }, (_, i) => i + 1), 'committed in arrival order, none lost')
  await c.endAsync(true)
})

t.test('the gateway\'s update budget over all links: two links of batches hold no more than it at the store, each in its order, none lost', async (t) => {
  // Two links of 16-update budgets would put 32 updates at the store; the shared budget allows 20.
  const env = await startGatewayWithDouble([FUKUOKA, KITAKYUSHU], { maxInflightPerCs: 64, maxBatchUpdates: 8, maxInflightUpdatesPerCs: 16, maxInflightUpdates: 20 })
  t.teardown(env.close)
  env.store.delayMs = 20
  const links = await Promise.all([FUKUOKA, KITAKYUSHU].map(async (code) => ({ code, c: await connectCs(env.port, env.pki.ca, env.pki.cs.get(code) as Credential, `cs-${code}`) })))
  const BATCHES = 10
  const PER = 6
  await Promise.all(links.map(async ({ code, c }) => await Promise.all(Array.from({ length: BATCHES }, async (_, b) => {
    const updates = Array.from({ length: PER }, (_, i) => payloadFor(code, b * PER + i + 1))
    return await c.publishAsync(topicFor('updateBatch', code), Buffer.from(encode('UpdateBatch', { updates })), { qos: 1 })
  }))))
  t.ok(env.store.peakPending > 16 && env.store.peakPending <= 20, `both links sent at once, at most 20 updates pending at the store (peak ${env.store.peakPending})`)
  t.equal(env.store.answered, 2 * BATCHES * PER, 'every update was answered before its PUBACK')
  for (const { code } of links) {
    t.same(env.store.items.filter((i) => i.municipalityCode === code).map((i) => i.update?.sequence), Array.from({ length: BATCHES * PER }, (_, i) => i + 1), `${code}: committed in its order, none lost`)
  }
  for (const { c } of links) await c.endAsync(true)
})

t.test('the per-CS rate slows the link down instead of dropping', async (t) => {
  const env = await startTestGateway([FUKUOKA, KITAKYUSHU], { maxMessagesPerSecondPerCs: 5 })
  t.teardown(env.close)
  const c = await connectCs(env.port, env.pki.ca, env.pki.cs.get(FUKUOKA) as Credential, 'cs-401307')
  const other = await connectCs(env.port, env.pki.ca, env.pki.cs.get(KITAKYUSHU) as Credential, 'cs-401005')
  const before = env.position()
  const started = Date.now()
  const slow = Promise.all(Array.from({ length: 15 }, async (_, i) => await c.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, i + 1), { qos: 1 })))
  // Another CS has its own bucket: its five go through at once.
  await Promise.all(Array.from({ length: 5 }, async (_, i) => await other.publishAsync(topicFor('update', KITAKYUSHU), payloadFor(KITAKYUSHU, i + 1), { qos: 1 })))
  t.ok(Date.now() - started < 1500, 'the other CS is not slowed')
  await slow
  const elapsed = Date.now() - started
  // A burst of 5, then 10 more at 5 a second: about 2 s.
  t.ok(elapsed >= 1700, `15 updates at 5/s took ${elapsed} ms`)
  t.equal(env.position(), before + 20, 'none dropped: 15 + 5 committed')
  await c.endAsync(true)
  await other.endAsync(true)
})

t.test('SUBSCRIBE and UNSUBSCRIBE are rate-limited per CS: a flood of denied subscriptions is slowed, not dropped', async (t) => {
  const env = await startTestGateway([FUKUOKA], { maxSubscriptionsPerSecondPerCs: 4 })
  t.teardown(env.close)
  const c = await connectCs(env.port, env.pki.ca, env.pki.cs.get(FUKUOKA) as Credential, 'cs-401307')
  const started = Date.now()
  // Another CS's result topic: denied (SUBACK 0x80), and each denial is counted and logged.
  const denied = topicFor('result', KITAKYUSHU)
  const outcomes = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
    if (i % 2 === 1) return await c.unsubscribeAsync(denied).then(() => 'unsuback')
    return await c.subscribeAsync(denied, { qos: 1 }).then(() => 'granted', () => 'denied')
  }))
  const elapsed = Date.now() - started
  // A burst of 4, then 6 more at 4 a second: about 1.5 s.
  t.ok(elapsed >= 1300, `10 (UN)SUBSCRIBE at 4/s took ${elapsed} ms`)
  t.same(outcomes, Array.from({ length: 10 }, (_, i) => i % 2 === 1 ? 'unsuback' : 'denied'), 'every packet was answered')
  t.equal((await env.gw.metrics()).refusals.KEN_ERR_GW_SUBSCRIBE_DENIED, 5, 'every denial counted once')
  await c.endAsync(true)
})

t.test('new connections per second from one source are capped before TLS', async (t) => {
  const env = await startTestGateway([FUKUOKA], { maxConnectionsPerSecond: 3 })
  t.teardown(env.close)
  const sockets = Array.from({ length: 10 }, () => net.connect(env.port, '127.0.0.1'))
  const closedEarly = await Promise.all(sockets.map(async (s) => await new Promise<boolean>((resolve) => {
    s.on('error', () => {})
    const timer = setTimeout(() => { resolve(false) }, 500)
    s.once('close', () => { clearTimeout(timer); resolve(true) })
  })))
  for (const s of sockets) s.destroy()
  const n = closedEarly.filter(Boolean).length
  // At most 3 per one-second window, and 10 connections span at most two windows.
  t.ok(n >= 4, `${n} of 10 closed at once`)
  t.equal((await env.gw.metrics()).refusals.KEN_ERR_GW_CONNECTION_RATE, n)
})
