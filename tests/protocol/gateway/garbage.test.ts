// 10 000 garbage payloads from one CS (random bytes, truncated updates, unknown fields, oversized)
// into ken-gateway running as its own process, in front of the real store: every one acknowledged
// and answered REJECTED, no crash, the gateway's RSS bounded, and another CS's updates, sent
// meanwhile, all ACCEPTED (SPEC §3: "none crashes or blocks the link"; SPEC §8: gateway RSS).
import t from 'tap'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { startGatewayProcess } from './helpers/gateway-process.ts'
import { connectCs, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor, withUnknownField } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'

const TOTAL = 10_000
const WINDOW = 200
/** Payloads sent before the first measurement (JIT, heap growth, socket buffers settle). */
const WARM_UP = 3000
const MAX_UPDATE = 2048
const MiB = 1048576

/** xorshift32: the same garbage on every run. */
function prng (seed: number): () => number {
  let x = seed
  return () => {
    x ^= x << 13; x >>>= 0
    x ^= x >>> 17
    x ^= x << 5; x >>>= 0
    return x
  }
}

function garbage (i: number, next: () => number): Buffer {
  switch (i % 4) {
    case 0: return Buffer.from(Array.from({ length: next() % 600 }, () => next() & 0xff))
    case 1: {
      const valid = payloadFor(FUKUOKA, i + 1, i + 1)
      return valid.subarray(0, next() % valid.length)
    }
    case 2: return withUnknownField(payloadFor(FUKUOKA, i + 1, i + 1))
    default: return Buffer.alloc(MAX_UPDATE + 1 + (next() % 1000), next() & 0xff)
  }
}

t.test('garbage is answered REJECTED, the link and the other CS carry on, memory stays bounded', async (t) => {
  const gw = await startGatewayProcess([FUKUOKA, KITAKYUSHU], { maxUpdateBytes: MAX_UPDATE, maxInflightPerCs: 256 })
  t.teardown(gw.close)
  const bad = await connectCs(gw.port, gw.ca, gw.cs.get(FUKUOKA) as Credential, 'cs-401307')
  const good = await connectCs(gw.port, gw.ca, gw.cs.get(KITAKYUSHU) as Credential, 'cs-401005')
  const badInbox = new ResultInbox(bad)
  const goodInbox = new ResultInbox(good)
  await bad.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })
  await good.subscribeAsync(topicFor('result', KITAKYUSHU), { qos: 1 })
  const next = prng(20240601)
  const sendGarbage = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i += WINDOW) {
      const end = Math.min(to, i + WINDOW)
      await Promise.all(Array.from({ length: end - i }, async (_, k) => await bad.publishAsync(topicFor('update', FUKUOKA), garbage(i + k, next), { qos: 1 })))
    }
  }

  await sendGarbage(0, WARM_UP)
  const rssBefore = gw.rss()
  const goodSends = (async () => {
    for (let seq = 1; seq <= 200; seq++) await good.publishAsync(topicFor('update', KITAKYUSHU), payloadFor(KITAKYUSHU, seq), { qos: 1 })
  })()
  await Promise.all([sendGarbage(WARM_UP, TOTAL), goodSends])
  const results = await badInbox.waitFor(TOTAL, 30_000)
  const rssAfter = gw.rss()

  t.equal(results.length, TOTAL, 'a result for every payload (every one was acknowledged)')
  t.ok(results.every((r) => r.status === ResultStatus.REJECTED), 'all REJECTED')
  const reasons = new Set(results.map((r) => r.reasonCode))
  t.ok(reasons.has('KEN_REJECT_OVERSIZED') && reasons.has('KEN_REJECT_UNKNOWN_FIELD') && reasons.has('KEN_REJECT_MALFORMED'), `reasons: ${[...reasons].join(', ')}`)
  t.ok([...reasons].every((r) => r.startsWith('KEN_REJECT_')))
  t.ok(bad.connected, 'the garbage link itself stays up')
  t.equal(gw.child.exitCode, null, 'the gateway is still running')
  const goodResults = await goodInbox.waitFor(200)
  t.ok(goodResults.every((r) => r.status === ResultStatus.ACCEPTED), 'the other CS: all 200 ACCEPTED')
  t.equal(gw.store.store.head().position, TOTAL + 200, 'every rejection and every update recorded by the store')
  const mib = (n: number): string => (n / MiB).toFixed(1)
  t.ok(rssAfter - rssBefore < 32 * MiB, `gateway RSS ${mib(rssBefore)} → ${mib(rssAfter)} MiB over ${TOTAL - WARM_UP} payloads`)
  t.ok(rssAfter < 200 * MiB, 'within SPEC §8\'s 200 MB')
  await bad.endAsync(true)
  await good.endAsync(true)
})
