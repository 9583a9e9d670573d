// upload-publish.ts: an authorised upload goes straight to the `published` hook and reaches no
// subscriber, not even one inside the broker; everything else is routed by aedes as before.
import t from 'tap'
import { Duplex, PassThrough } from 'node:stream'
import { Aedes, type AedesPublishPacket, type Client, type PublishPacket } from 'aedes'
import { createBroker } from '../../../gateway/src/broker.ts'
import { identityOf } from '../../../gateway/src/identity.ts'
import { PublishPermits, TokenBucket } from '../../../gateway/src/limits.ts'
import { silentLogger } from '../../../gateway/src/logger.ts'
import { GatewayMetrics } from '../../../gateway/src/metrics.ts'
import { GuardedConnection } from '../../../gateway/src/packet-guard.ts'
import { skipRoutingOfUploads } from '../../../gateway/src/upload-publish.ts'

const UPLOAD = 'ken/v1/cs/401307/update'
const RESULT = 'ken/v1/cs/401307/result'

async function brokerWith (): Promise<{ broker: Aedes, published: AedesPublishPacket[], routed: string[] }> {
  const published: AedesPublishPacket[] = []
  const broker = await Aedes.createBroker({
    published (packet, _client, done) {
      // aedes publishes its own $SYS birth message at start; only ours count.
      if (packet.topic.startsWith('ken/')) published.push(packet)
      done(null)
    }
  })
  skipRoutingOfUploads(broker, (packet) => packet.topic === UPLOAD)
  const routed: string[] = []
  const seen = (packet: AedesPublishPacket, cb: () => void): void => { routed.push(packet.topic); cb() }
  await new Promise<void>((resolve) => { broker.subscribe('ken/v1/cs/+/+', seen, resolve) })
  return { broker, published, routed }
}

type PublishFromClient = (packet: PublishPacket, client: Client | null, done: (err?: Error | null) => void) => void

function publishAs (broker: Aedes, packet: PublishPacket, client: Client | null): Promise<void> {
  return new Promise((resolve, reject) => {
    // aedes' own call after a PUBACK (lib/handlers/publish.js enqueuePublish) passes the client.
    (broker.publish as unknown as PublishFromClient)(packet, client, (err) => { if (err) reject(err); else resolve() })
  })
}

const packet = (topic: string): PublishPacket => ({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1, retain: false, dup: false, messageId: 7 })
const client = { id: 'cs-401307' } as unknown as Client

t.test('an upload from a client: the published hook gets the very packet, no subscriber sees it', async (t) => {
  const { broker, published, routed } = await brokerWith()
  t.teardown(() => { broker.close() })
  const events: string[] = []
  broker.on('publish', (p: AedesPublishPacket, c: Client | null) => { if (p.topic.startsWith('ken/')) events.push(`${p.topic} ${c?.id ?? ''}`) })
  const p = packet(UPLOAD)
  await publishAs(broker, p, client)
  t.equal(published.length, 1)
  t.equal(published[0], p, 'the packet the CS sent, as callPublished would pass it')
  t.same(routed, [], 'not emitted to subscribers')
  t.same(events, [`${UPLOAD} cs-401307`], "the 'publish' event still fires")
})

t.test('anything else is routed as before: a result, or an upload published without a client', async (t) => {
  const { broker, published, routed } = await brokerWith()
  t.teardown(() => { broker.close() })
  await publishAs(broker, packet(RESULT), client)
  await new Promise<void>((resolve, reject) => { broker.publish(packet(UPLOAD), (err) => { if (err) reject(err); else resolve() }) })
  t.same(routed, [RESULT, UPLOAD])
  t.equal(published.length, 2)
})

t.test("the gateway's broker: a CS's own upload from its guarded link is not routed; another CS's topic is", async (t) => {
  const broker = await createBroker({
    ingest: async () => await Promise.reject(new Error('not called')),
    connectTimeoutMs: 5000,
    maxInflightPerCs: 4,
    maxBatchUpdates: 4,
    keepalive: { minSeconds: 10, maxSeconds: 600 },
    log: silentLogger,
    metrics: new GatewayMetrics()
  })
  t.teardown(() => { broker.close() })
  const routed: string[] = []
  await new Promise<void>((resolve) => { broker.subscribe('ken/v1/cs/+/+', (p: AedesPublishPacket, cb: () => void) => { routed.push(p.topic); cb() }, resolve) })
  const conn = new GuardedConnection(new PassThrough() as unknown as Duplex, {
    identity: identityOf({ kind: 'cs', municipalityCode: '401307', serialHex: '01' }),
    permits: new PublishPermits(4, new TokenBucket(1e6)),
    subscribeBucket: new TokenBucket(1e6),
    maxPacketBytes: 1024,
    connectTimeoutMs: 5000,
    onViolation: () => {}
  })
  t.teardown(() => { conn.destroy() })
  const cs = { id: 'cs-401307', conn } as unknown as Client
  await publishAs(broker, packet(UPLOAD), cs)
  await publishAs(broker, packet('ken/v1/cs/401005/update'), cs)
  t.same(routed, ['ken/v1/cs/401005/update'], 'only the topic that is not its own upload went through the routing')
})
