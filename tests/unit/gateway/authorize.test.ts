// Default-deny decisions, table by table: CONNECT, PUBLISH, SUBSCRIBE and forwarding, from the
// identity of the certificate alone.
import t from 'tap'
import type { PublishPacket } from 'aedes'
import { checkConnect, checkPublish, checkSubscribe, mayForward } from '../../../gateway/src/authorize.ts'
import { clientIdFor, identityOf } from '../../../gateway/src/identity.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { parseTopic, topicFor, TOPIC_KINDS, type TopicKind } from '../../../proto/src/topics.ts'

const me = identityOf({ kind: 'cs', municipalityCode: '401307', serialHex: '0a' })
const KEEPALIVE = { minSeconds: 5, maxSeconds: 300 }
const facts = { protocolVersion: 4, will: false, keepalive: 30 }
const pub = (over: Partial<PublishPacket>): PublishPacket => ({ cmd: 'publish', topic: 'ken/v1/cs/401307/update', payload: Buffer.alloc(0), qos: 1, retain: false, dup: false, ...over })
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
    return undefined
  } catch (err) {
    return isKenError(err) ? err.code : 'uncoded'
  }
}

t.test('identity: client id and topics come from the certificate', async (t) => {
  t.equal(me.clientId, 'cs-401307')
  t.equal(clientIdFor('401005'), 'cs-401005')
  t.same([...me.publishTopics], ['ken/v1/cs/401307/update', 'ken/v1/cs/401307/reconcile', 'ken/v1/cs/401307/update-batch', 'ken/v1/cs/401307/proof'])
  t.same([...me.subscribeTopics], ['ken/v1/cs/401307/result', 'ken/v1/cs/401307/reconcile/result', 'ken/v1/cs/401307/update-batch/result', 'ken/v1/cs/401307/proof/result'])
  t.ok(Object.isFrozen(me))
  t.equal(codeOf(() => identityOf({ kind: 'operator', serialHex: '01' })), 'KEN_ERR_GW_NOT_A_CS')
  t.equal(codeOf(() => identityOf({ kind: 'cs', municipalityCode: '401300', serialHex: '01' })), 'KEN_ERR_GW_NOT_A_CS', 'a bad check digit')
})

t.test('identity: topicKinds answers what parseTopic does for the CS\'s own municipality, and nothing for any other topic', async (t) => {
  // The broker, the topic router, checkTopic and mayForward look the kind up there instead of parsing.
  const kinds = Object.keys(TOPIC_KINDS) as TopicKind[]
  t.equal(me.topicKinds.size, kinds.length)
  for (const kind of kinds) t.equal(me.topicKinds.get(topicFor(kind, '401307')), kind, kind)
  const others = [
    ...kinds.map((k) => topicFor(k, '401005')), // another municipality's
    'ken/v1/cs/401307/updates', 'ken/v1/cs/401307/update/', 'ken/v1/cs/401307/update/extra', 'ken/v1/cs/401307/+',
    'ken/v1/cs/401307/#', 'ken/v1/cs/+/update', 'ken/v2/cs/401307/update', 'KEN/v1/cs/401307/update', '/ken/v1/cs/401307/update',
    'ken/v1/cs/401307/result/reconcile', 'ken/v1/cs/401307/update\u0000', '$SYS/broker/uptime', ''
  ]
  for (const topic of [...others, ...kinds.map((k) => topicFor(k, '401307'))]) {
    const parsed = parseTopic(topic)
    t.equal(me.topicKinds.get(topic), parsed?.municipalityCode === '401307' ? parsed.kind : undefined, JSON.stringify(topic))
  }
  for (const topic of others) t.equal(me.topicKinds.get(topic), undefined, `${JSON.stringify(topic)} is not the CS's`)
})

t.test('CONNECT', async (t) => {
  const code = (over: Partial<typeof facts>, clientId = 'cs-401307'): [number, string] | undefined => {
    const r = checkConnect(me, { ...facts, ...over }, clientId, KEEPALIVE)
    return r === undefined ? undefined : [r.returnCode, r.error.code]
  }
  t.equal(code({}), undefined)
  t.same(code({}, 'cs-401005'), [2, 'KEN_ERR_GW_CLIENT_ID'], '[MQTT-3.1.3-9] identifier rejected')
  t.same(code({ will: true }), [5, 'KEN_ERR_GW_WILL'])
  t.same(code({ protocolVersion: 3 }), [5, 'KEN_ERR_GW_PROTOCOL_VERSION'])
  t.same(code({ keepalive: 0 }), [5, 'KEN_ERR_GW_KEEPALIVE'], 'no keep alive')
  t.same(code({ keepalive: 301 }), [5, 'KEN_ERR_GW_KEEPALIVE'])
  t.same(code({ keepalive: 5 }), undefined, 'the bounds are inclusive')
  const none = checkConnect(undefined, facts, 'cs-401307', KEEPALIVE)
  t.same([none?.returnCode, none?.error.code], [5, 'KEN_ERR_GW_NOT_A_CS'], 'no identity, no connection')
})

t.test('PUBLISH', async (t) => {
  t.equal(codeOf(() => checkPublish(me, pub({}))), undefined)
  t.equal(codeOf(() => checkPublish(me, pub({ topic: 'ken/v1/cs/401307/reconcile' }))), undefined, 'its reconcile topic is its own too')
  t.equal(codeOf(() => checkPublish(me, pub({ topic: 'ken/v1/cs/401005/update' }))), 'KEN_ERR_GW_PUBLISH_DENIED')
  t.equal(codeOf(() => checkPublish(me, pub({ topic: 'ken/v1/cs/401307/result' }))), 'KEN_ERR_GW_PUBLISH_DENIED')
  t.equal(codeOf(() => checkPublish(me, pub({ topic: 'ken/v1/cs/+/update' }))), 'KEN_ERR_GW_PUBLISH_DENIED')
  t.equal(codeOf(() => checkPublish(me, pub({ topic: '$SYS/x' }))), 'KEN_ERR_GW_PUBLISH_DENIED')
  t.equal(codeOf(() => checkPublish(me, pub({ retain: true }))), 'KEN_ERR_GW_RETAIN')
  t.equal(codeOf(() => checkPublish(me, pub({ qos: 0 }))), 'KEN_ERR_GW_QOS')
  t.equal(codeOf(() => checkPublish(me, pub({ qos: 2 }))), 'KEN_ERR_GW_QOS')
  t.equal(codeOf(() => checkPublish(undefined, pub({}))), 'KEN_ERR_GW_PUBLISH_DENIED')
})

t.test('SUBSCRIBE: exact own result topics only, QoS at most 1', async (t) => {
  const granted = (topic: string, qos: 0 | 1 | 2 = 1): number | string => {
    const r = checkSubscribe(me, { topic, qos })
    return isKenError(r) ? r.code : r.qos
  }
  t.equal(granted('ken/v1/cs/401307/result'), 1)
  t.equal(granted('ken/v1/cs/401307/result', 2), 1, 'downgraded to 1')
  t.equal(granted('ken/v1/cs/401307/result', 0), 0)
  t.equal(granted('ken/v1/cs/401307/reconcile/result'), 1)
  for (const topic of ['ken/v1/cs/401005/result', 'ken/v1/cs/+/result', 'ken/v1/cs/401307/#', '#', '+/+/+/+/+', '$SYS/#', 'ken/v1/cs/401307/update']) {
    t.equal(granted(topic), 'KEN_ERR_GW_SUBSCRIBE_DENIED', topic)
  }
  t.ok(isKenError(checkSubscribe(undefined, { topic: 'ken/v1/cs/401307/result', qos: 1 })))
})

t.test('forwarding: only server-to-CS topics, only to their owner', async (t) => {
  t.ok(mayForward(me, 'ken/v1/cs/401307/result'))
  t.notOk(mayForward(me, 'ken/v1/cs/401307/update'), 'updates are never forwarded')
  t.notOk(mayForward(me, 'ken/v1/cs/401005/result'))
  t.notOk(mayForward(me, '$SYS/broker/heartbeat'))
  t.notOk(mayForward(undefined, 'ken/v1/cs/401307/result'))
})
