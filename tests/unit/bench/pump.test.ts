// The load generator's link (bench/loadgen/pump.ts): PUBACKs counted per update of a batch, at most
// `window` in flight, and a link whose connection closes with PUBLISHes unacknowledged ends the link
// (counted as dropped) instead of waiting for callbacks mqtt.js never runs without a reconnection.
import t from 'tap'
import { EventEmitter } from 'node:events'
import { Histogram } from '../../../bench/loadgen/histogram.ts'
import { pump, type PumpClient, type PumpTally } from '../../../bench/loadgen/pump.ts'

/** A client that keeps each PUBLISH's callback until the test acknowledges it. */
class FakeClient extends EventEmitter implements PumpClient {
  readonly pending: Array<(err?: Error) => void> = []
  maxInflight = 0

  publish (_topic: string, _payload: Buffer, _opts: { qos: 1 }, callback: (err?: Error) => void): void {
    this.pending.push(callback)
    this.maxInflight = Math.max(this.maxInflight, this.pending.length)
  }

  ackOne (): void {
    this.pending.shift()?.()
  }
}

function tally (): PumpTally {
  return { acked: 0, sent: 0, errors: 0, dropped: 0, measuring: true, running: true, started: performance.now(), hist: new Histogram(), ackedPerSecond: [], links: [] }
}

const payloads = Array.from({ length: 10 }, (_, i) => Buffer.from([i]))

t.test('every PUBLISH acknowledged: true, each update of a batch counted, the window kept', async (t) => {
  const client = new FakeClient()
  const tl = tally()
  const done = pump(client, { code: '401005', topic: 'x', payloads, counts: payloads.map(() => 64), window: 3 }, tl)
  while (client.pending.length > 0) client.ackOne()
  t.equal(await done, true)
  t.equal(client.maxInflight, 3, 'never more than the window in flight')
  t.equal(tl.sent, 10)
  t.equal(tl.acked, 640, '64 updates per batch PUBACK')
  t.equal(tl.dropped, 0)
  t.same(tl.links.map((l) => [l.code, l.updates]), [['401005', 640]])
  t.equal(client.listenerCount('close'), 0, 'its close listener removed')
})

t.test('a connection closed with PUBLISHes in flight ends the link: false, dropped, counted once', async (t) => {
  const client = new FakeClient()
  const tl = tally()
  const done = pump(client, { code: '401307', topic: 'x', payloads, counts: [], window: 4 }, tl)
  client.ackOne()
  client.ackOne()
  client.emit('close')
  t.equal(await done, false, 'the link ends without its PUBACKs')
  t.equal(tl.dropped, 1)
  t.equal(tl.acked, 2)
  // A callback mqtt.js might still run later neither sends more nor reports the link twice.
  const sent = tl.sent
  client.ackOne()
  t.equal(tl.sent, sent, 'nothing more sent')
  t.equal(tl.links.length, 1, 'the link reported once')
})

t.test('stopped by the run (running cleared): false, not dropped', async (t) => {
  const client = new FakeClient()
  const tl = tally()
  const done = pump(client, { code: '401005', topic: 'x', payloads, counts: [], window: 2 }, tl)
  tl.running = false
  while (client.pending.length > 0) client.ackOne()
  t.equal(await done, false)
  t.equal(tl.dropped, 0)
  t.equal(tl.sent, 2)
})
