// The packet guard over an in-memory duplex: bytes pass unchanged however they are split; an
// oversized packet is refused having passed on only its header; PUBLISH packets wait for a permit.
import t from 'tap'
import { Duplex, PassThrough } from 'node:stream'
import { identityOf } from '../../../gateway/src/identity.ts'
import { PublishPermits, TokenBucket } from '../../../gateway/src/limits.ts'
import { GuardedConnection } from '../../../gateway/src/packet-guard.ts'
import type { KenError } from '../../../proto/src/ken-error.ts'

const identity = identityOf({ kind: 'cs', municipalityCode: '401307', serialHex: '01' })
const CONNECT = Buffer.from([0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x1e, 0x00, 0x01, 0x78])
/** MQTT's remaining length [MQTT-2.2.3]: 7 bits a byte, high bit = more. */
const varint = (n: number): number[] => {
  const out: number[] = []
  do {
    out.push((n % 128) | (n >= 128 ? 0x80 : 0))
    n = Math.floor(n / 128)
  } while (n > 0)
  return out
}
/** PUBLISH QoS 1 to topic `t`, packet id `id`, `payload` bytes. */
const publish = (id: number, payload: number): Buffer =>
  Buffer.concat([Buffer.from([0x32, ...varint(2 + 1 + 2 + payload), 0x00, 0x01, 0x74, 0x00, id]), Buffer.alloc(payload, id)])
const PINGREQ = Buffer.from([0xc0, 0x00])

/** A socket stand-in: what the test writes comes out of the guard; what the guard writes is collected. */
function harness (opts: { maxPacketBytes?: number, inflight?: number, connectTimeoutMs?: number, subscribeBucket?: TokenBucket } = {}): { socket: PassThrough, guard: GuardedConnection, out: Buffer[], violations: string[], permits: PublishPermits } {
  const socket = new PassThrough()
  const permits = new PublishPermits(opts.inflight ?? 100, new TokenBucket(1e6))
  const violations: string[] = []
  const guard = new GuardedConnection(socket as unknown as Duplex, {
    identity,
    permits,
    subscribeBucket: opts.subscribeBucket ?? new TokenBucket(1e6),
    maxPacketBytes: opts.maxPacketBytes ?? 1024,
    connectTimeoutMs: opts.connectTimeoutMs ?? 5000,
    onViolation: (err: KenError) => violations.push(err.code)
  })
  const out: Buffer[] = []
  guard.on('data', (c: Buffer) => out.push(c))
  guard.on('error', () => {})
  return { socket, guard, out, violations, permits }
}

const tick = async (): Promise<void> => { await new Promise((resolve) => setImmediate(resolve)) }

t.test('bytes pass unchanged, whole or one byte at a time', async (t) => {
  const stream = Buffer.concat([CONNECT, publish(1, 10), PINGREQ, publish(2, 0), publish(3, 200)])
  for (const split of [stream.length, 1, 3, 7]) {
    const h = harness()
    for (let i = 0; i < stream.length; i += split) h.socket.write(stream.subarray(i, i + split))
    await tick()
    t.same(Buffer.concat(h.out), stream, `split ${split}`)
    t.same(h.violations, [])
    t.equal(h.permits.inflight, 3, 'three PUBLISH admitted')
    h.guard.destroy()
  }
})

t.test('an oversized packet is refused when its header is complete; its payload never passes', async (t) => {
  const h = harness({ maxPacketBytes: 100 })
  h.socket.write(CONNECT)
  h.socket.write(Buffer.from([0x32, 0xc8])) // remaining length: first byte of 2
  await tick()
  t.same(h.violations, [], 'not known yet')
  h.socket.write(Buffer.concat([Buffer.from([0x01]), Buffer.alloc(500)])) // 200 + header > 100
  await tick()
  t.same(h.violations, ['KEN_ERR_GW_PACKET_TOO_LARGE'])
  t.ok(h.guard.destroyed)
  t.ok(h.socket.destroyed, 'the socket is closed')
  t.equal(Buffer.concat(h.out).length, CONNECT.length + 2, 'CONNECT and two header bytes passed, nothing of the payload')
})

t.test('a packet of exactly maxPacketBytes passes', async (t) => {
  const packet = publish(1, 100)
  const h = harness({ maxPacketBytes: packet.length })
  h.socket.write(Buffer.concat([CONNECT, packet]))
  await tick()
  t.same(h.violations, [])
  t.equal(Buffer.concat(h.out).length, CONNECT.length + packet.length)
  h.guard.destroy()
})

const refusals: Array<[string, Buffer, string]> = [
  ['first packet not CONNECT [MQTT-3.1.0-1]', PINGREQ, 'KEN_ERR_GW_FIRST_NOT_CONNECT'],
  ['second CONNECT [MQTT-3.1.0-2]', Buffer.concat([CONNECT, CONNECT]), 'KEN_ERR_GW_SECOND_CONNECT'],
  ['five remaining-length bytes [MQTT-2.2.3]', Buffer.concat([CONNECT, Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01])]), 'KEN_ERR_GW_MALFORMED_LENGTH'],
  ['CONNACK from a client [MQTT-2.2.1]', Buffer.concat([CONNECT, Buffer.from([0x20, 0x02, 0, 0])]), 'KEN_ERR_GW_PACKET_TYPE'],
  ['reserved type 15', Buffer.concat([CONNECT, Buffer.from([0xf0, 0x00])]), 'KEN_ERR_GW_PACKET_TYPE'],
  ['reserved type 0', Buffer.concat([CONNECT, Buffer.from([0x00, 0x00])]), 'KEN_ERR_GW_PACKET_TYPE']
]
for (const [name, bytes, code] of refusals) {
  t.test(`refused: ${name}`, async (t) => {
    const h = harness()
    h.socket.write(bytes)
    await tick()
    t.same(h.violations, [code])
    t.ok(h.guard.destroyed)
  })
}

t.test('no complete CONNECT within the timeout closes the connection', async (t) => {
  const h = harness({ connectTimeoutMs: 50 })
  h.socket.write(CONNECT.subarray(0, 5))
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.same(h.violations, ['KEN_ERR_GW_CONNECT_TIMEOUT'])
  t.ok(h.guard.destroyed)
})

t.test('a complete CONNECT stops the connect timer', async (t) => {
  const h = harness({ connectTimeoutMs: 50 })
  h.socket.write(CONNECT)
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.same(h.violations, [])
  t.notOk(h.guard.destroyed)
  h.guard.destroy()
})

t.test('a PUBLISH without a permit is held back, with everything after it, until a slot frees', async (t) => {
  const h = harness({ inflight: 1 })
  h.socket.write(Buffer.concat([CONNECT, publish(1, 4), publish(2, 4), PINGREQ]))
  await tick()
  t.same(Buffer.concat(h.out), Buffer.concat([CONNECT, publish(1, 4)]), 'the second PUBLISH waits')
  h.socket.write(PINGREQ)
  await tick()
  t.equal(Buffer.concat(h.out).length, CONNECT.length + publish(1, 4).length, 'later bytes stay behind it')
  h.permits.release()
  await tick()
  t.same(Buffer.concat(h.out), Buffer.concat([CONNECT, publish(1, 4), publish(2, 4), PINGREQ, PINGREQ]), 'released in order')
  t.equal(h.permits.inflight, 1)
  h.guard.destroy()
})

t.test('the guard writes through to the socket and closing it closes the socket', async (t) => {
  const h = harness()
  const written: Buffer[] = []
  h.socket.on('data', (c: Buffer) => written.push(c))
  h.guard.write(Buffer.from([0x20, 0x02, 0x00, 0x00]))
  await tick()
  t.same(Buffer.concat(written), Buffer.from([0x20, 0x02, 0x00, 0x00]))
  h.guard.destroy()
  await tick()
  t.ok(h.socket.destroyed)
  t.equal(h.permits.inflight, 0, 'permits given back')
})

/** SUBSCRIBE (packet id `id`, topic "t", QoS 1) and UNSUBSCRIBE [MQTT-3.8.1-1, MQTT-3.10.1-1]. */
const subscribe = (id: number): Buffer => Buffer.from([0x82, 0x06, 0x00, id, 0x00, 0x01, 0x74, 0x01])
const unsubscribe = (id: number): Buffer => Buffer.from([0xa2, 0x05, 0x00, id, 0x00, 0x01, 0x74])

t.test('SUBSCRIBE and UNSUBSCRIBE wait for a token of the CS\'s bucket; nothing is dropped or reordered', async (t) => {
  let now = 0
  const h = harness({ subscribeBucket: new TokenBucket(2, 2, () => now) })
  const packets = [subscribe(1), unsubscribe(2), subscribe(3), PINGREQ, unsubscribe(4), subscribe(5)]
  const upTo = (n: number): Buffer => Buffer.concat([CONNECT, ...packets.slice(0, n)])
  const passedAtLeast = async (n: number): Promise<void> => {
    for (let i = 0; i < 500 && Buffer.concat(h.out).length < upTo(n).length; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  }
  h.socket.write(upTo(packets.length))
  await tick()
  t.same(Buffer.concat(h.out), upTo(2), 'the burst of two passed, the rest waits')
  await new Promise((resolve) => setTimeout(resolve, 30))
  t.same(Buffer.concat(h.out), upTo(2), 'no token while the clock stands still')
  now += 1000 // two more tokens
  await passedAtLeast(5)
  t.same(Buffer.concat(h.out), upTo(5), 'two more, with the PINGREQ between them')
  now += 500
  await passedAtLeast(6)
  t.same(Buffer.concat(h.out), upTo(6), 'all passed, in order')
  t.same(h.violations, [])
  h.guard.destroy()
})
