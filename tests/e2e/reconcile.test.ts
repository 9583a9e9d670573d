// Reconciliation end to end (SPEC §5.3, requirements C1/H17): a municipality of 100 000 residents,
// its CS's snapshot seeded with divergences (residents left out, residents the file does not know,
// one item changed), sent in chunks over the CS's own MQTT/TLS link through the real gateway to the
// real store daemon: the server reports exactly the seeded differences — naming items, never values
// — and records the run once. A CS cannot reconcile another municipality's file.
import t from 'tap'
import mqtt from 'mqtt'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../firmware-config/src/index.ts'
import { decode, encode } from '../../proto/src/codec.ts'
import { topicFor } from '../../proto/src/topics.ts'
import { DifferenceKind, type ReconcileResult } from '../../proto/src/types.ts'
import { generatePopulation } from '../sim/generator/index.ts'
import { buildSnapshot, chunksOf } from '../sim/cs-sim/reconcile-run.ts'
import { FUKUOKA, KITAKYUSHU, startAppliance } from './helpers/appliance.ts'
import { csFor, differencesOf, preload } from './helpers/reconcile.ts'

const RESIDENTS = 100_000
/** Records per chunk: a chunk is one MQTT message, under the gateway's maxPacketBytes (64 KiB). */
const PER_CHUNK = 450

t.test('100 000 residents with seeded divergences: exactly those are found', { timeout: 600_000 }, async (t) => {
  const app = await startAppliance(t, [FUKUOKA, KITAKYUSHU])
  const municipalities = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA)
  const population = generatePopulation({ seed: 'e2e-reconcile', municipalities, count: RESIDENTS, juminhyoCheckDigit: false })
  const loadStarted = performance.now()
  t.equal(await preload(app, population, [FUKUOKA]), RESIDENTS, 'every resident loaded')
  t.comment(`load of ${RESIDENTS} residents straight into the store: ${Math.round(performance.now() - loadStarted)} ms`)

  const snap = buildSnapshot(population, FUKUOKA, { missing: 0.002, extra: 0.001, differing: 0.003, seed: 15 })
  const chunks = chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'e2e-100k', snapshotDate: population.asOf, perChunk: PER_CHUNK })
  const cs = csFor(app, FUKUOKA, chunks)
  const started = performance.now()
  const final = await cs.run()
  const ms = performance.now() - started
  t.comment(`reconciliation of ${RESIDENTS} residents in ${chunks.length} chunks over the link: ${Math.round(ms)} ms`)
  t.equal(final.complete, true)
  const found = differencesOf(cs.results.values())
  t.equal(found.size, snap.expected.size, `${snap.expected.size} seeded divergences, as many found`)
  t.same(found, new Map([...snap.expected].map(([k, v]) => [k, { kind: v.kind, fields: [...v.fields] }])), 'exactly the seeded ones, kinds and items')
  const count = (kind: number): number => [...snap.expected.values()].filter((d) => d.kind === kind).length
  t.same(final.summary, {
    recordsAtCs: snap.records.length,
    recordsHere: RESIDENTS,
    matching: RESIDENTS - count(DifferenceKind.MISSING_AT_CS) - count(DifferenceKind.DIFFERS),
    missingHere: count(DifferenceKind.MISSING_HERE),
    missingAtCs: count(DifferenceKind.MISSING_AT_CS),
    differing: count(DifferenceKind.DIFFERS)
  })

  await app.stop()
  const store = await app.openStore()
  let runs = 0
  for await (const r of store.entries()) if (r.entry.act?.kind === 'reconcile.run') runs++
  await store.close()
  t.equal(runs, 1, 'the run is one reconcile.run entry in the log')
})

t.test('a CS cannot reconcile another municipality\'s file', { timeout: 120_000 }, async (t) => {
  const app = await startAppliance(t, [FUKUOKA, KITAKYUSHU])
  const municipalities = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA || m.code === KITAKYUSHU)
  const population = generatePopulation({ seed: 'e2e-reconcile-refusal', municipalities, count: 2000, juminhyoCheckDigit: false })
  await preload(app, population, [FUKUOKA, KITAKYUSHU])
  const snap = buildSnapshot(population, FUKUOKA, { missing: 0, extra: 0, differing: 0, seed: 1 })
  const [chunk] = chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'steal', snapshotDate: population.asOf, perChunk: PER_CHUNK })
  const cred = app.cs.get(KITAKYUSHU)
  if (cred === undefined || chunk === undefined) throw new Error('fixture')
  // 北九州市's CS, with its own certificate.
  const client = await mqtt.connectAsync(app.url, { ca: app.ca, cert: cred.cert, key: cred.key, clientId: `cs-${KITAKYUSHU}`, protocolVersion: 4, clean: true, reconnectPeriod: 0, rejectUnauthorized: true })
  t.teardown(async () => { await client.endAsync(true) })
  const results: ReconcileResult[] = []
  client.on('message', (_topic, payload) => { results.push(decode('ReconcileResult', payload)) })
  await client.subscribeAsync(topicFor('reconcileResult', KITAKYUSHU), { qos: 1 })
  // 1. On 福岡市's topic: refused by the gateway, the link closes without a PUBACK.
  const closed = new Promise<void>((resolve) => client.once('close', () => { resolve() }))
  client.publish(topicFor('reconcile', FUKUOKA), Buffer.from(chunk), { qos: 1 })
  await closed
  // 2. On its own topic, a chunk naming 福岡市: refused by the store, nothing compared.
  const own = await mqtt.connectAsync(app.url, { ca: app.ca, cert: cred.cert, key: cred.key, clientId: `cs-${KITAKYUSHU}`, protocolVersion: 4, clean: true, reconnectPeriod: 0, rejectUnauthorized: true })
  t.teardown(async () => { await own.endAsync(true) })
  const answer = new Promise<ReconcileResult>((resolve) => own.on('message', (_topic, payload) => { resolve(decode('ReconcileResult', payload)) }))
  await own.subscribeAsync(topicFor('reconcileResult', KITAKYUSHU), { qos: 1 })
  await own.publishAsync(topicFor('reconcile', KITAKYUSHU), Buffer.from(encode('ReconcileChunk', decode('ReconcileChunk', chunk))), { qos: 1 })
  const refused = await answer
  t.equal(refused.reasonCode, 'KEN_REJECT_MUNICIPALITY_MISMATCH')
  t.same(refused.differences, [], 'no difference, so nothing of 福岡市\'s file')
  t.notOk(refused.summary, 'no summary')
  t.same(results, [], 'nothing reached the first link')
})
