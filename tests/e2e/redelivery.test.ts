// End to end (SPEC §3 "idempotent on (municipality, stream, sequence): a redelivered update gets the
// same result again and is never applied twice"): real daemons, a CS with a persistent session
// (clean: false) whose line is cut while updates are committed but not yet acknowledged. mqtt.js
// reconnects and redelivers them from its outgoing store; the CS also re-publishes the very same
// payload bytes. Every redelivery is answered DUPLICATE with the first result's log position, and
// the store's log holds each update exactly once; `ken-store verify` passes.
import t, { type Test } from 'tap'
import type { MqttClient } from 'mqtt'
import type { Packet } from 'mqtt'
import { encode } from '../../proto/src/codec.ts'
import { topicFor } from '../../proto/src/topics.ts'
import { ResultStatus, Stream, type UpdateResult } from '../../proto/src/types.ts'
import { connectCs, ResultInbox } from '../protocol/gateway/helpers/mqtt.ts'
import { updateFor } from '../protocol/gateway/helpers/updates.ts'
import { FUKUOKA, kenStoreVerify, startAppliance } from './helpers/appliance.ts'
import { CuttableLine } from './helpers/line.ts'

const WINDOW = 16
/** 更新順番号 1 alone, then two windows. */
const TOTAL = 1 + 2 * WINDOW
const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i)
const UPDATE = topicFor('update', FUKUOKA)
const payloadOf = (sequence: number): Buffer => Buffer.from(encode('Update', updateFor(FUKUOKA, sequence)))
const codeOf = (sequence: number): string => updateFor(FUKUOKA, sequence).identity?.juminhyoCode ?? ''
const sequenceOfPayload = new Map(range(1, TOTAL).map((s) => [payloadOf(s).toString('hex'), s]))

const app = await startAppliance(t, [FUKUOKA])
const cred = app.cs.get(FUKUOKA)
if (cred === undefined) throw new Error('no credential')
const line = await CuttableLine.open(app.port)
t.teardown(async () => { await line.close() })

const client: MqttClient = await connectCs(line.port, app.ca, cred, `cs-${FUKUOKA}`, { clean: false, reconnectPeriod: 200, connectTimeout: 20_000 })
t.teardown(async () => { await client.endAsync(true) })
const inbox = new ResultInbox(client)
await client.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })
let reconnects = 0
client.on('reconnect', () => { reconnects++ })
/** PUBLISH packets this CS put on the wire, by 更新順番号 (first sends and redeliveries). */
const sends = new Map<number, number>()
client.on('packetsend', (packet: Packet) => {
  if (packet.cmd !== 'publish') return
  const sequence = sequenceOfPayload.get(Buffer.from(packet.payload).toString('hex'))
  if (sequence !== undefined) sends.set(sequence, (sends.get(sequence) ?? 0) + 1)
})

/** Resolve once `ready()` holds, polling; reject after `ms`. */
async function until (what: string, ready: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
/**
 * The next CONNACK's 'connect' event: mqtt.js emits it once it has redelivered its outgoing store,
 * and queues new publishes until then (dropping them if that connection fails too).
 */
async function reconnected (): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('no reconnect within 30 s')) }, 30_000)
    client.once('connect', () => { clearTimeout(timer); resolve() })
  })
}
const resultsOf = (sequence: number): UpdateResult[] => inbox.results.filter((r) => r.sequence === sequence)
/** The position each update's first application was logged at, as its ACCEPTED result said. */
const firstPosition = (sequence: number): number | undefined => resultsOf(sequence).find((r) => r.status === ResultStatus.ACCEPTED)?.logPosition

t.test('the line is cut after the commit, before the PUBACK reaches the CS: redelivered, DUPLICATE', async (t) => {
  let acked = false
  const back = reconnected()
  const cut = line.cutOnNextAnswer()
  const published = client.publishAsync(UPDATE, payloadOf(1), { qos: 1 }).then(() => { acked = true })
  await cut
  t.equal(acked, false, 'the CS has not seen the PUBACK when its line is cut')
  await Promise.all([published, back])
  t.ok(reconnects >= 1, 'mqtt.js reconnected')
  t.equal(sends.get(1), 2, 'and redelivered the update once')
  await until('an ACCEPTED and a DUPLICATE result for 更新順番号 1', () => resultsOf(1).length >= 2)
  const statuses = resultsOf(1).map((r) => r.status).sort((a, b) => a - b)
  t.same(statuses, [ResultStatus.ACCEPTED, ResultStatus.DUPLICATE], 'the first delivery ACCEPTED (kept for the persistent session), the redelivery DUPLICATE')
  const positions = new Set(resultsOf(1).map((r) => r.logPosition))
  t.equal(positions.size, 1, 'the DUPLICATE carries the first result\'s log position')
  const hashes = new Set(resultsOf(1).map((r) => Buffer.from(r.entryHash).toString('hex')))
  t.same([hashes.size, resultsOf(1)[0]?.entryHash.length], [1, 32], 'and the first result\'s entry hash')
})

/** Publish a window of updates at once; resolves when every one is PUBACKed. */
async function publishWindow (sequences: readonly number[], afterWrite: () => void = () => {}): Promise<void> {
  const published = sequences.map(async (s) => { await client.publishAsync(UPDATE, payloadOf(s), { qos: 1 }) })
  afterWrite()
  await Promise.all(published)
}

/** Each update of the window answered once ACCEPTED, every other answer DUPLICATE, all at one log position. */
async function checkAnswers (t: Test, sequences: readonly number[]): Promise<void> {
  await until('a first result for every update', () => sequences.every((s) => firstPosition(s) !== undefined))
  for (const s of sequences) {
    const rs = resultsOf(s)
    t.ok(rs.every((r) => r.status === ResultStatus.ACCEPTED || r.status === ResultStatus.DUPLICATE), `${s}: no rejection`)
    t.equal(rs.filter((r) => r.status === ResultStatus.ACCEPTED).length, 1, `${s}: accepted once`)
    t.ok(rs.every((r) => r.logPosition === firstPosition(s)), `${s}: every answer names the first log position`)
  }
}

t.test('a window in flight when the line is cut before the first PUBACK: all redelivered, committed ones DUPLICATE', async (t) => {
  const sequences = range(2, WINDOW)
  const before = reconnects
  const back = reconnected()
  const cut = line.cutOnNextAnswer()
  const published = publishWindow(sequences)
  await cut
  await Promise.all([published, back])
  t.ok(reconnects > before, 'mqtt.js reconnected')
  t.ok(sequences.every((s) => (sends.get(s) ?? 0) === 2), 'and redelivered every update of the window once')
  await checkAnswers(t, sequences)
  const duplicates = sequences.filter((s) => resultsOf(s).some((r) => r.status === ResultStatus.DUPLICATE))
  t.ok(duplicates.includes(2), `the update committed before the cut was answered DUPLICATE (${duplicates.length} of ${WINDOW} were)`)
})

t.test('a window in flight when the CS destroys its TCP socket right after writing it: every update PUBACKed once', async (t) => {
  const sequences = range(2 + WINDOW, WINDOW)
  const before = reconnects
  const back = reconnected()
  await Promise.all([publishWindow(sequences, () => { client.stream.destroy() }), back])
  t.ok(reconnects > before, 'mqtt.js reconnected')
  t.ok(sequences.every((s) => (sends.get(s) ?? 0) >= 2), 'and redelivered the window')
  await checkAnswers(t, sequences)
})

t.test('the same payload bytes published again: DUPLICATE with the first result\'s log position', async (t) => {
  for (const s of [1, 2, 1 + WINDOW, TOTAL]) {
    const n = inbox.results.length
    await client.publishAsync(UPDATE, payloadOf(s), { qos: 1 })
    const r = (await inbox.waitFor(n + 1, 30_000)).slice(n).find((x) => x.sequence === s && x.status === ResultStatus.DUPLICATE)
    t.equal(r?.status, ResultStatus.DUPLICATE, `${s}: DUPLICATE`)
    t.equal(r?.logPosition, firstPosition(s), `${s}: at the first result's log position`)
    t.equal(r?.reasonCode, '', `${s}: no reason code`)
  }
})

t.test('the store\'s log holds every update exactly once, and verify passes', async (t) => {
  await client.endAsync()
  t.same(await app.stop(), { gateway: 0, store: 0 }, 'both daemons stop cleanly')
  const store = await app.openStore()
  t.teardown(async () => { await store.close() })
  const logged = new Map<number, number[]>()
  for await (const e of store.entries()) {
    const u = e.entry.update
    if (u === undefined || u === null) continue
    t.equal(u.stream, Stream.NORMAL, `position ${e.position}: the normal stream`)
    t.equal(u.status, ResultStatus.ACCEPTED, `position ${e.position}: no rejection was recorded (a second 転入 would be)`)
    logged.set(u.sequence, [...(logged.get(u.sequence) ?? []), e.position])
  }
  const all = range(1, TOTAL)
  t.same([...logged.keys()].sort((a, b) => a - b), all, 'every update is in the log')
  for (const s of all) {
    t.same(logged.get(s), [firstPosition(s)], `${s}: exactly once, where its first result said`)
    const record = await store.getCurrent(codeOf(s))
    t.same([record?.juminhyoCode, record?.sequence, record?.status], [codeOf(s), s, 'current'], `${s}: the resident is in the file`)
    t.same(await store.getHistory(codeOf(s)), [], `${s}: with no earlier state (never applied twice)`)
  }
  t.same(await store.counts(FUKUOKA), { current: TOTAL, accepted: TOTAL, rejected: 0 }, 'counts: each update counted once')
  await store.close()
  const verify = await kenStoreVerify(app.paths.dbDir)
  t.equal(verify.code, 0, 'ken-store verify exits 0')
  t.same([verify.report.ok, verify.report.entries], [true, TOTAL], 'over every entry')
})
