// The packet guard over a real TLS socket: an oversized packet closes the link before its payload
// is sent in full, and the other CS carry on; a first packet that is not CONNECT, a malformed
// remaining length, a server-only packet type and a missing CONNECT close the link [MQTT-2.2.3,
// MQTT-3.1.0-1, MQTT-2.2.1].
import t from 'tap'
import type tls from 'node:tls'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { startTestGateway, FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { connectCs, drain, raw, rawTls, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'

const MAX_PACKET = 16 * 1024
const env = await startTestGateway([FUKUOKA, KITAKYUSHU], { maxPacketBytes: MAX_PACKET, maxUpdateBytes: 4096, connectTimeoutMs: 500 })
t.teardown(env.close)
const fukuoka = env.pki.cs.get(FUKUOKA) as Credential
const kitakyushu = env.pki.cs.get(KITAKYUSHU) as Credential

/** Write `total` bytes in 16 KiB chunks as fast as the socket takes them; stop when it closes. */
async function writeUntilClosed (socket: tls.TLSSocket, total: number): Promise<number> {
  const chunk = Buffer.alloc(16 * 1024, 0x61)
  let sent = 0
  while (sent < total && !socket.destroyed && socket.writable) {
    const ok = socket.write(chunk)
    sent += chunk.length
    if (!ok) {
      const drained = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { resolve(false) }, 5000)
        socket.once('drain', () => { clearTimeout(timer); resolve(true) })
        socket.once('close', () => { clearTimeout(timer); resolve(false) })
      })
      if (!drained) break
    }
  }
  return sent
}

t.test('an oversized PUBLISH closes the link before its payload is sent; the other CS are unaffected', async (t) => {
  const other = await connectCs(env.port, env.pki.ca, kitakyushu, 'cs-401005')
  const inbox = new ResultInbox(other)
  await other.subscribeAsync(topicFor('result', KITAKYUSHU), { qos: 1 })

  const s = await rawTls(env.port, env.pki.ca, fukuoka)
  s.on('error', () => {})
  s.write(raw.connect('cs-401307'))
  const announced = 64 * 1024 * 1024
  s.write(raw.publishHeader(topicFor('update', FUKUOKA), announced))
  const closed = new Promise<void>((resolve) => s.once('close', () => { resolve() }))
  const sending = writeUntilClosed(s, announced)
  // Meanwhile the other CS keeps sending and is answered.
  for (let seq = 1; seq <= 5; seq++) await other.publishAsync(topicFor('update', KITAKYUSHU), payloadFor(KITAKYUSHU, seq), { qos: 1 })
  await closed
  const sent = await sending
  t.ok(sent < announced, `closed after ${sent} of ${announced} bytes`)
  const results = await inbox.waitFor(5)
  t.same(results.map((r) => r.status), [1, 1, 1, 1, 1].map(() => ResultStatus.ACCEPTED))
  t.ok(((await env.gw.metrics()).refusals.KEN_ERR_GW_PACKET_TOO_LARGE ?? 0) >= 1)
  await other.endAsync(true)
})

t.test('a packet just above maxPacketBytes is refused, one at the limit is not', async (t) => {
  const topic = topicFor('update', FUKUOKA)
  // A packet of `total` bytes: fixed header 1 + 2 (remaining length < 16 384), topic, packet id.
  const payloadOf = (total: number): number => total - 3 - (2 + Buffer.byteLength(topic) + 2)
  t.equal(raw.publishHeader(topic, payloadOf(MAX_PACKET)).length + payloadOf(MAX_PACKET), MAX_PACKET, 'sizes as intended')
  const s = await rawTls(env.port, env.pki.ca, fukuoka)
  s.write(raw.connect('cs-401307'))
  s.write(raw.publishHeader(topic, payloadOf(MAX_PACKET + 1)))
  const refused = await drain(s, 3000)
  t.ok(refused.closed, 'one byte over: closed')

  const ok = await rawTls(env.port, env.pki.ca, fukuoka)
  ok.write(raw.connect('cs-401307'))
  const payloadLength = payloadOf(MAX_PACKET)
  ok.write(Buffer.concat([raw.publishHeader(topic, payloadLength), Buffer.alloc(payloadLength, 0x41)]))
  const got = await drain(ok, 1500)
  t.notOk(got.closed, 'at the limit: the link stays')
  t.equal(got.bytes[0], 0x20, 'CONNACK')
  t.same([...got.bytes.subarray(4, 8)], [0x40, 0x02, 0x00, 0x01], 'PUBACK (the update itself is committed as KEN_REJECT_OVERSIZED)')
  t.equal((await env.gw.metrics()).municipalities[FUKUOKA]?.rejected.KEN_REJECT_OVERSIZED, 1)
  ok.destroy()
})

t.test('a CS may pipeline a window of PUBLISH packets right after CONNECT (MQTT 3.1.1 §3.1.4)', async (t) => {
  const s = await rawTls(env.port, env.pki.ca, fukuoka)
  const packets = Array.from({ length: 60 }, (_, i) => {
    const payload = payloadFor(FUKUOKA, 1000 + i)
    return Buffer.concat([raw.publishHeader(topicFor('update', FUKUOKA), payload.length, 1, i + 1), payload])
  })
  s.write(Buffer.concat([raw.connect('cs-401307'), ...packets]))
  const { bytes, closed } = await drain(s, 1500)
  t.notOk(closed, 'the link stays')
  t.same([...bytes.subarray(0, 4)], [0x20, 0x02, 0x00, 0x00], 'CONNACK')
  t.equal(bytes.length, 4 + 60 * 4, 'then 60 PUBACKs')
  s.destroy()
})

const closers: Array<[string, Buffer[]]> = [
  ['a first packet that is not CONNECT [MQTT-3.1.0-1]', [Buffer.from([0xc0, 0x00])]],
  ['a malformed remaining length [MQTT-2.2.3]', [raw.connect('cs-401307'), Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])]],
  ['a packet type only a server sends [MQTT-2.2.1]', [raw.connect('cs-401307'), Buffer.from([0x20, 0x02, 0x00, 0x00])]],
  ['a second CONNECT [MQTT-3.1.0-2]', [raw.connect('cs-401307'), raw.connect('cs-401307')]],
  ['no CONNECT within connectTimeoutMs', []]
]
for (const [name, packets] of closers) {
  t.test(`closed: ${name}`, async (t) => {
    const s = await rawTls(env.port, env.pki.ca, fukuoka)
    for (const p of packets) s.write(p)
    const started = Date.now()
    const { closed } = await drain(s, 3000)
    t.ok(closed)
    if (packets.length === 0) t.ok(Date.now() - started >= 400, 'after the connect timeout')
  })
}

t.test('guard refusals are counted by code', async (t) => {
  const r = (await env.gw.metrics()).refusals
  t.ok((r.KEN_ERR_GW_FIRST_NOT_CONNECT ?? 0) >= 1)
  t.ok((r.KEN_ERR_GW_MALFORMED_LENGTH ?? 0) >= 1)
  t.ok((r.KEN_ERR_GW_PACKET_TYPE ?? 0) >= 1)
  t.ok((r.KEN_ERR_GW_SECOND_CONNECT ?? 0) >= 1)
  t.ok((r.KEN_ERR_GW_CONNECT_TIMEOUT ?? 0) >= 1)
})
