// The CS simulator against the gateway over real TLS: three CS send their initial loads at once,
// then 福岡市's CS a generated event stream with invalid cases mixed in, against the real store —
// every result matches its expectation; and a CS whose line drops mid-flight redelivers what was
// unacknowledged and gets DUPLICATE for what the store had already committed, counted as such.
// (One generated stream, one sender: the generator's register is one prefecture-wide state, and
// events of different CS that depend on each other — a 転出 here, its 転入 there — would race on
// concurrent links.)
import t from 'tap'
import { encode } from '../../../proto/src/codec.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../../firmware-config/src/index.ts'
import { generateEvents, generatePopulation, initialLoadEvents, payloadOf, sequencesAfterInitialLoad } from '../../sim/generator/index.ts'
import { runSimulator, totals, type SimEvent } from '../../sim/cs-sim/simulator.ts'
import { startGatewayWithDouble, startTestGateway, FUKUOKA, KITAKYUSHU, KURUME } from './helpers/gateway.ts'
import { payloadFor } from './helpers/updates.ts'

const CODES = [FUKUOKA, KITAKYUSHU, KURUME]
const MUNICIPALITIES = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => CODES.includes(m.code))

t.test('three CS: initial loads, then a generated stream with invalid cases; every result as expected', async (t) => {
  const env = await startTestGateway(CODES)
  t.teardown(env.close)
  const population = generatePopulation({ seed: 20240401, municipalities: MUNICIPALITIES, count: 600, juminhyoCheckDigit: false })
  const firstSequence = sequencesAfterInitialLoad(population)
  const EVENTS = 400
  const sender = MUNICIPALITIES.filter((m) => m.code === FUKUOKA)
  function * events (code: string): Generator<SimEvent> {
    for (const u of initialLoadEvents(population, { municipalityCode: code })) yield { payload: encode('Update', u), expect: { status: ResultStatus.ACCEPTED } }
    if (code !== FUKUOKA) return
    for (const e of generateEvents({ seed: 'events', population, municipalities: sender, count: EVENTS, invalidRate: 0.2, firstSequence, maxUpdateBytes: 16384 })) {
      yield { payload: payloadOf(e), expect: e.expect }
    }
  }
  const sim = runSimulator({
    brokerUrl: `mqtts://127.0.0.1:${env.port}`,
    ca: env.pki.ca,
    credentials: env.pki.cs,
    events,
    ratePerSecond: 2000,
    window: 32,
    resultTimeoutMs: 20_000
  })
  const stats = await sim.done
  const sum = totals(stats)
  const loaded = population.blocks.reduce((n, b) => n + (b.end - b.start), 0)
  t.equal(sum.sent, loaded + EVENTS, 'every event sent')
  t.equal(sum.acked, sum.sent, 'every update acknowledged')
  t.equal(sum.missing, 0, 'every update answered')
  t.same(stats.mismatches, [], 'no result contradicts its event')
  t.equal(sum.mismatches, 0)
  t.ok(Object.keys(sum.rejected).length >= 5, `rejections by reason: ${JSON.stringify(sum.rejected)}`)
  t.ok(sum.accepted >= loaded, 'the initial load and the valid events accepted')
  for (const code of CODES) t.same([stats.municipalities[code]?.errors, stats.municipalities[code]?.failed], [0, 0], `${code}: no errors`)
  t.equal((await env.gw.metrics()).municipalities[FUKUOKA]?.accepted, stats.municipalities[FUKUOKA]?.accepted, 'the gateway counted the same')
  const latency = sim.latency()
  t.ok(latency !== undefined && latency.p50Ms > 0 && latency.p99Ms >= latency.p50Ms, `PUBACK latency p50 ${latency?.p50Ms.toFixed(2)} ms, p99 ${latency?.p99Ms.toFixed(2)} ms`)
})

t.test('a dropped line: unacknowledged updates are redelivered and answered DUPLICATE, counted', async (t) => {
  // The double holds the store's answers so the line can be cut while updates are committed but unacknowledged.
  const env = await startGatewayWithDouble([FUKUOKA])
  t.teardown(env.close)
  env.store.delayMs = 400
  const N = 10
  const events = (code: string): SimEvent[] => Array.from({ length: N }, (_, i) => ({ payload: payloadFor(code, i + 1), expect: { status: ResultStatus.ACCEPTED } }))
  const sim = runSimulator({
    brokerUrl: `mqtts://127.0.0.1:${env.port}`,
    ca: env.pki.ca,
    credentials: new Map([[FUKUOKA, env.pki.cs.get(FUKUOKA) as { cert: string, key: string }]]),
    events,
    ratePerSecond: 1000,
    window: N,
    resultTimeoutMs: 10_000,
    reconnectPeriodMs: 100
  })
  // Cut the line while the store holds updates it has not answered: committed, never acknowledged.
  const deadline = Date.now() + 5000
  while (env.store.received === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2))
  t.ok(env.store.received > 0 && env.store.batches.length === 0, 'updates at the store, unanswered')
  sim.drop(FUKUOKA)
  const stats = await sim.done
  const s = stats.municipalities[FUKUOKA]
  t.ok((s?.reconnects ?? 0) >= 1, 'reconnected')
  t.ok((s?.duplicate ?? 0) >= 1, `redeliveries answered DUPLICATE: ${s?.duplicate}`)
  t.equal((s?.accepted ?? 0) + (s?.duplicate ?? 0), N, 'one answer per update')
  t.equal(s?.acked, N, 'every update acknowledged in the end')
  t.same([s?.missing, s?.mismatches, s?.unmatched], [0, 0, 0], 'nothing missing, DUPLICATE satisfies an expected ACCEPTED')
  const sequences = env.store.items.map((i) => i.update?.sequence)
  const firsts = sequences.filter((q, i) => sequences.indexOf(q) === i)
  t.same(firsts, Array.from({ length: N }, (_, i) => i + 1), 'each committed first in order')
  t.equal(sequences.length - firsts.length, s?.duplicate, 'the store saw exactly the redeliveries the CS counted')
})

t.test('a batch cut in the middle and published again: DUPLICATE for the committed part, one commit per update', async (t) => {
  // The gateway hands a batch to the store in requests of 3 (one in flight per CS), the double holds
  // each answer: the line is cut once part of the batch is committed and the rest is not.
  const env = await startGatewayWithDouble([FUKUOKA], { maxBatchItems: 3 })
  t.teardown(env.close)
  env.store.delayMs = 300
  const N = 9
  const events = (code: string): SimEvent[] => Array.from({ length: N }, (_, i) => ({ payload: payloadFor(code, i + 1), expect: { status: ResultStatus.ACCEPTED }, catchUp: true }))
  const sim = runSimulator({
    brokerUrl: `mqtts://127.0.0.1:${env.port}`,
    ca: env.pki.ca,
    credentials: new Map([[FUKUOKA, env.pki.cs.get(FUKUOKA) as { cert: string, key: string }]]),
    events,
    ratePerSecond: 1000,
    window: 4,
    batchSize: N,
    resultTimeoutMs: 10_000,
    reconnectPeriodMs: 100
  })
  const deadline = Date.now() + 5000
  while (env.store.batches.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2))
  t.ok(env.store.batches.length >= 1 && env.store.batches.length < 3, `part of the batch committed (${env.store.batches.join('+')} of ${N})`)
  sim.drop(FUKUOKA)
  const stats = await sim.done
  const s = stats.municipalities[FUKUOKA]
  t.ok((s?.reconnects ?? 0) >= 1, 'reconnected')
  t.ok((s?.duplicate ?? 0) >= 3, `the committed part answered DUPLICATE: ${s?.duplicate}`)
  t.equal((s?.accepted ?? 0) + (s?.duplicate ?? 0), N, 'one answer per update')
  t.same([s?.missing, s?.mismatches, s?.unmatched], [0, 0, 0])
  const sequences = env.store.items.map((i) => i.update?.sequence)
  const firsts = sequences.filter((q, i) => sequences.indexOf(q) === i)
  t.same(firsts, Array.from({ length: N }, (_, i) => i + 1), 'each committed first in order, once')
})

t.test('a CS the gateway refuses is reported, not waited for', async (t) => {
  const env = await startGatewayWithDouble([FUKUOKA])
  t.teardown(env.close)
  const sim = runSimulator({
    brokerUrl: `mqtts://127.0.0.1:${env.port}`,
    ca: env.pki.ca,
    credentials: new Map([[FUKUOKA, env.pki.revoked]]),
    events: () => [{ payload: payloadFor(FUKUOKA, 1) }],
    ratePerSecond: 10,
    window: 1,
    resultTimeoutMs: 2000,
    reconnectPeriodMs: 200
  })
  const stats = await sim.done
  t.equal(stats.municipalities[FUKUOKA]?.failed, 1, 'the CS is reported as failed')
  t.equal(stats.municipalities[FUKUOKA]?.sent, 0, 'nothing was sent')
})
