// Default-deny authorisation over a real TLS socket (SPEC §3): the client id and every topic come
// from the certificate; no wildcards, no retained messages, no wills; updates reach nobody but the
// store and results only their CS.
import t from 'tap'
import type { MqttClient } from 'mqtt'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { startTestGateway, FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { connectCs, drain, raw, rawTls, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'

const env = await startTestGateway([FUKUOKA, KITAKYUSHU])
t.teardown(env.close)
const fukuoka = env.pki.cs.get(FUKUOKA) as Credential
const kitakyushu = env.pki.cs.get(KITAKYUSHU) as Credential

async function refusedCode (cred: Credential, clientId: string, extra: Parameters<typeof connectCs>[4] = {}): Promise<number | string | undefined> {
  try {
    const c = await connectCs(env.port, env.pki.ca, cred, clientId, extra)
    await c.endAsync(true)
    return undefined
  } catch (err) {
    return (err as { code?: number | string }).code
  }
}

/** The SUBACK return codes for `topics` (mqtt.js 5 rejects when any is 0x80, carrying the SUBACK). */
async function grantedQos (client: MqttClient, topics: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(topics, { qos: 1 })).map((g) => g.qos)
  } catch (err) {
    return (err as { packet?: { granted?: number[] } }).packet?.granted ?? []
  }
}

/** Publish once and report whether a PUBACK came before the link closed. */
async function publishOutcome (client: MqttClient, topic: string, opts: { qos: 0 | 1 | 2, retain?: boolean }): Promise<{ acked: boolean, closed: boolean }> {
  let acked = false
  const closed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => { resolve(false) }, 2000)
    client.once('close', () => { clearTimeout(timer); resolve(true) })
  })
  client.publish(topic, payloadFor(FUKUOKA, 900), opts, (err) => { if (err === undefined || err === null) acked = true })
  const wasClosed = await closed
  return { acked: acked && opts.qos > 0, closed: wasClosed }
}

t.test('CONNECT: the client id must be the one derived from the certificate', async (t) => {
  t.equal(await refusedCode(fukuoka, 'cs-401005'), 2, 'another CS\'s id: identifier rejected [MQTT-3.1.3-9]')
  t.equal(await refusedCode(fukuoka, 'anything'), 2)
  t.equal(await refusedCode(fukuoka, ''), 2, 'an empty id is not the certificate\'s')
  t.equal(await refusedCode(fukuoka, 'cs-401307'), undefined, 'its own id is accepted')
})

t.test('CONNECT: no will, keep alive within bounds, MQTT 3.1.1 only', async (t) => {
  t.equal(await refusedCode(fukuoka, 'cs-401307', { will: { topic: topicFor('update', FUKUOKA), payload: Buffer.from('x'), qos: 1, retain: false } }), 5, 'a will: not authorised')
  t.equal(await refusedCode(fukuoka, 'cs-401307', { keepalive: 0 }), 5, 'no keep alive: not authorised')
  t.equal(await refusedCode(fukuoka, 'cs-401307', { keepalive: 3600 }), 5, 'keep alive above the bound')
  t.equal(await refusedCode(fukuoka, 'cs-401307', { protocolVersion: 3, protocolId: 'MQIsdp' }), 5, 'MQTT 3.1 refused')
  t.equal(await refusedCode(fukuoka, 'cs-401307', { protocolVersion: 5 }), 1, 'MQTT 5: unacceptable protocol version')
  const refusals = (await env.gw.metrics()).refusals
  t.ok((refusals.KEN_ERR_GW_WILL ?? 0) >= 1)
  t.ok((refusals.KEN_ERR_GW_CLIENT_ID ?? 0) >= 3)
  t.ok((refusals.KEN_ERR_GW_KEEPALIVE ?? 0) >= 2)
})

t.test('SUBSCRIBE: only the CS\'s own result topics; everything else is a 0x80 failure and the link stays', async (t) => {
  const c = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  const granted = await grantedQos(c, [
    topicFor('result', FUKUOKA),
    topicFor('reconcileResult', FUKUOKA),
    topicFor('result', KITAKYUSHU),
    'ken/v1/cs/+/result',
    'ken/v1/cs/401307/#',
    '#',
    '$SYS/#',
    topicFor('update', FUKUOKA)
  ])
  t.same(granted, [1, 1, 128, 128, 128, 128, 128, 128])
  t.ok(c.connected)
  await c.endAsync(true)
})

t.test('PUBLISH to another municipality\'s topic closes the link, no PUBACK, nothing committed', async (t) => {
  const before = env.position()
  const c = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  const outcome = await publishOutcome(c, topicFor('update', KITAKYUSHU), { qos: 1 })
  t.same(outcome, { acked: false, closed: true })
  t.equal(env.position(), before, 'nothing committed')
  c.end(true)
})

const refusedPublishes: Array<[string, string, { qos: 0 | 1 | 2, retain?: boolean }]> = [
  ['its own result topic (server to CS only)', topicFor('result', FUKUOKA), { qos: 1 }],
  ['a topic outside v1', 'ken/v1/other', { qos: 1 }],
  ['a retained update [MQTT-3.3.1-5]', topicFor('update', FUKUOKA), { qos: 1, retain: true }],
  ['an update at QoS 0', topicFor('update', FUKUOKA), { qos: 0 }],
  ['an update at QoS 2', topicFor('update', FUKUOKA), { qos: 2 }]
]
for (const [name, topic, opts] of refusedPublishes) {
  t.test(`PUBLISH refused: ${name}`, async (t) => {
    const before = env.position()
    const c = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
    const outcome = await publishOutcome(c, topic, opts)
    t.same(outcome, { acked: false, closed: true })
    t.equal(env.position(), before, 'nothing committed')
    c.end(true)
  })
}

t.test('PUBLISH with a wildcard topic closes the link [MQTT-3.3.2-2]', async (t) => {
  const s = await rawTls(env.port, env.pki.ca, fukuoka)
  s.write(raw.connect('cs-401307'))
  const payload = payloadFor(FUKUOKA, 901)
  s.write(Buffer.concat([raw.publishHeader('ken/v1/cs/+/update', payload.length), payload]))
  const { bytes, closed } = await drain(s, 3000)
  t.ok(closed)
  t.same([...bytes], [0x20, 0x02, 0x00, 0x00], 'a CONNACK and nothing else: no PUBACK')
})

t.test('updates reach no subscriber and results only their own CS', async (t) => {
  const a = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  const b = await connectCs(env.port, env.pki.ca, kitakyushu, 'cs-401005')
  const inboxA = new ResultInbox(a)
  const seenByB: string[] = []
  b.on('message', (topic) => seenByB.push(topic))
  await a.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })
  await b.subscribeAsync(topicFor('result', KITAKYUSHU), { qos: 1 })
  await a.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, 10), { qos: 1 })
  const [r] = await inboxA.waitFor(1)
  t.equal(r?.status, ResultStatus.ACCEPTED)
  await new Promise((resolve) => setTimeout(resolve, 200))
  t.same(seenByB, [], 'the other CS sees neither the update nor the result')
  await a.endAsync(true)
  await b.endAsync(true)
})

t.test('a second connection with the same identity replaces the first [MQTT-3.1.4-2]', async (t) => {
  const first = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  const firstClosed = new Promise<void>((resolve) => first.once('close', () => { resolve() }))
  const second = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  await firstClosed
  t.ok(second.connected)
  const before = env.position()
  await second.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, 11), { qos: 1 })
  t.equal(env.position(), before + 1, 'the second connection carries updates')
  first.end(true)
  await second.endAsync(true)
})
