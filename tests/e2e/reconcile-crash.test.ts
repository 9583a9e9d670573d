// A reconciliation cut five times (SPEC §5.3 "resumable after a cut"): while a CS streams its snapshot
// over its link, the store daemon, the gateway or both are SIGKILLed at random points and started
// again (systemd's Restart=). The CS opens a new link and sends again the first chunk it has no result
// for. The run completes with exactly the seeded differences, every record counted once (no chunk
// counted twice), one reconcile.run entry, and a log that verifies.
// Size: 20 000 residents in chunks of 200 (100 chunks) — enough room for five cuts, small enough that
// the restarts (each a few seconds on a loaded machine) dominate, not the comparison.
import t from 'tap'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../firmware-config/src/index.ts'
import { DifferenceKind } from '../../proto/src/types.ts'
import { generatePopulation } from '../sim/generator/index.ts'
import { buildSnapshot, chunksOf } from '../sim/cs-sim/reconcile-run.ts'
import { FUKUOKA, kenStoreVerify, startAppliance } from './helpers/appliance.ts'
import { csFor, differencesOf, preload } from './helpers/reconcile.ts'

const RESIDENTS = 20_000
const PER_CHUNK = 200
const CUTS = 5

type Cut = 'store' | 'gateway' | 'both'

t.test('a run cut five times by SIGKILL completes with the same result, no chunk counted twice', { timeout: 900_000 }, async (t) => {
  const app = await startAppliance(t, [FUKUOKA])
  const municipalities = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA)
  const population = generatePopulation({ seed: 'e2e-reconcile-crash', municipalities, count: RESIDENTS, juminhyoCheckDigit: false })
  await preload(app, population, [FUKUOKA])
  const snap = buildSnapshot(population, FUKUOKA, { missing: 0.01, extra: 0.005, differing: 0.01, seed: 5 })
  const chunks = chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'e2e-crash', snapshotDate: population.asOf, perChunk: PER_CHUNK })

  // Each daemon at least once; the rest at random. A cut is due once the CS holds this many results
  // (the last one before the final chunk, so that a cut can land in the run's close).
  const every: Cut[] = ['store', 'gateway', 'both']
  const kinds: Cut[] = [...every, ...Array.from({ length: CUTS - 3 }, (): Cut => every[Math.floor(Math.random() * 3)] ?? 'both')].sort(() => Math.random() - 0.5)
  const due = Array.from({ length: CUTS - 1 }, () => 1 + Math.floor(Math.random() * (chunks.length - 2))).sort((a, b) => a - b)
  due.push(chunks.length - 1)
  const done: Array<{ kind: Cut, at: number }> = []
  let cutting: Promise<void> | undefined
  const cut = async (kind: Cut, at: number): Promise<void> => {
    // A random moment within the next chunk's round trip.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20))
    if (kind !== 'gateway') await app.kill('store')
    if (kind !== 'store') await app.kill('gateway')
    done.push({ kind, at })
    if (kind !== 'gateway') await app.start('store')
    if (kind !== 'store') await app.start('gateway')
  }
  const cs = csFor(app, FUKUOKA, chunks, () => {
    const next = due[done.length + (cutting === undefined ? 0 : 1)]
    if (next === undefined || cs.results.size < next || cutting !== undefined) return
    const kind = kinds[done.length] ?? 'both'
    cutting = cut(kind, cs.results.size).finally(() => { cutting = undefined })
  })
  const final = await cs.run()
  await cutting
  t.comment(`cuts: ${JSON.stringify(done)}; links ${cs.links}, chunks published ${cs.published} for ${chunks.length}`)
  t.ok(done.length >= CUTS - 1, `at least ${CUTS - 1} cuts landed before the run closed (${done.length})`)
  t.ok(cs.links > done.length, 'the CS reconnected after the cuts')

  t.equal(final.complete, true)
  t.same(differencesOf(cs.results.values()), new Map([...snap.expected].map(([k, v]) => [k, { kind: v.kind, fields: [...v.fields] }])), 'exactly the seeded differences')
  const count = (kind: number): number => [...snap.expected.values()].filter((d) => d.kind === kind).length
  t.same(final.summary, {
    recordsAtCs: snap.records.length,
    recordsHere: RESIDENTS,
    matching: RESIDENTS - count(DifferenceKind.MISSING_AT_CS) - count(DifferenceKind.DIFFERS),
    missingHere: count(DifferenceKind.MISSING_HERE),
    missingAtCs: count(DifferenceKind.MISSING_AT_CS),
    differing: count(DifferenceKind.DIFFERS)
  }, 'every record counted once')

  await app.stop()
  const store = await app.openStore()
  let runs = 0
  for await (const r of store.entries()) if (r.entry.act?.kind === 'reconcile.run') runs++
  await store.close()
  t.equal(runs, 1, 'one reconcile.run entry')
  const verified = await kenStoreVerify(app.paths.dbDir)
  t.equal(verified.code, 0, 'ken-store verify passes')
})
