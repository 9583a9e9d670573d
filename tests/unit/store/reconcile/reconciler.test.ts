// A reconciliation run against the store (SPEC §5.3): exactly the seeded differences, a chunk sent
// again is not counted twice, order and municipality are enforced, nothing of another file leaks.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { DifferenceKind, type ReconcileResult } from '../../../../proto/src/types.ts'
import { MemoryStore } from '../../../../server/src/store/memory-store.ts'
import { Reconciler } from '../../../../server/src/store/reconcile/reconciler.ts'
import { memoryWorkDb } from '../../../../server/src/store/reconcile/work-db.ts'
import { loadMunicipalities, FUKUOKA_MUNICIPALITIES_FILE } from '../../../../firmware-config/src/index.ts'
import { generatePopulation } from '../../../sim/generator/index.ts'
import { buildSnapshot, chunksOf } from '../../../sim/cs-sim/reconcile-run.ts'
import { loadMunicipality } from '../../../sim/cs-sim/load-store.ts'

const all = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities
const two = all.filter((m) => m.code === '401307' || m.code === '401005')
const population = generatePopulation({ seed: 15, municipalities: two, count: 3000 })
const FUKUOKA = '401307'
const KITAKYUSHU = '401005'

async function fixture (): Promise<{ store: MemoryStore, reconciler: Reconciler }> {
  const store = new MemoryStore({ applianceKey: randomBytes(32) })
  await store.open()
  await loadMunicipality(store, population, FUKUOKA)
  await loadMunicipality(store, population, KITAKYUSHU)
  return { store, reconciler: new Reconciler(store, memoryWorkDb()) }
}

function found (results: readonly ReconcileResult[]): Map<string, { kind: number, fields: string[] }> {
  const out = new Map<string, { kind: number, fields: string[] }>()
  for (const r of results) for (const d of r.differences) out.set(d.juminhyoCode, { kind: d.kind, fields: d.fields })
  return out
}

t.test('a run with seeded divergences finds exactly them', async (t) => {
  const { store, reconciler } = await fixture()
  const snap = buildSnapshot(population, FUKUOKA, { missing: 0.02, extra: 0.01, differing: 0.03, seed: 1 })
  const chunks = chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'run-1', snapshotDate: '2024-04-01', perChunk: 100 })
  const results: ReconcileResult[] = []
  for (const c of chunks) results.push(await reconciler.chunk(FUKUOKA, c, 'line', 'cs:401307'))
  const last = results.at(-1)
  t.equal(last?.complete, true)
  t.same(found(results), new Map([...snap.expected].map(([k, v]) => [k, { kind: v.kind, fields: [...v.fields] }])))
  const s = last?.summary
  const size = population.block(FUKUOKA).end - population.block(FUKUOKA).start
  t.equal(s?.recordsHere, size)
  t.equal(s?.recordsAtCs, snap.records.length)
  t.equal((s?.missingAtCs ?? 0) + (s?.missingHere ?? 0) + (s?.differing ?? 0), snap.expected.size)
  t.equal(s?.matching, size - (s?.missingAtCs ?? 0) - (s?.differing ?? 0))
  // Sent again after it closed: the same answer, and one run act only.
  const again = await reconciler.chunk(FUKUOKA, chunks.at(-1) ?? new Uint8Array(), 'line', 'cs:401307')
  t.same(again, last)
  let runs = 0
  for await (const r of store.entries()) if (r.entry.act?.kind === 'reconcile.run') runs++
  t.equal(runs, 1, 'the run is recorded once')
  await store.close()
})

t.test('a chunk sent again is answered the same and not counted twice; a gap is refused', async (t) => {
  const { store, reconciler } = await fixture()
  const snap = buildSnapshot(population, FUKUOKA, { missing: 0, extra: 0, differing: 0.05, seed: 2 })
  const chunks = chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'run-2', snapshotDate: '2024-04-01', perChunk: 200 })
  const first = await reconciler.chunk(FUKUOKA, chunks[0] ?? new Uint8Array(), 'line', 'cs')
  t.same(await reconciler.chunk(FUKUOKA, chunks[0] ?? new Uint8Array(), 'line', 'cs'), first)
  const gap = await reconciler.chunk(FUKUOKA, chunks[2] ?? new Uint8Array(), 'line', 'cs')
  t.equal(gap.reasonCode, 'KEN_REJECT_RECONCILE_CHUNK_ORDER')
  let last: ReconcileResult | undefined
  for (const c of chunks.slice(1)) last = await reconciler.chunk(FUKUOKA, c, 'line', 'cs')
  t.equal(last?.summary?.recordsAtCs, snap.records.length, 'every record once')
  t.equal(last?.summary?.missingAtCs, 0)
  await store.close()
})

t.test('a CS cannot reconcile another municipality, and learns no item value', async (t) => {
  const { store, reconciler } = await fixture()
  const other = buildSnapshot(population, KITAKYUSHU, { missing: 0, extra: 0, differing: 0.1, seed: 3 })
  const chunks = chunksOf(other.records, { municipalityCode: KITAKYUSHU, sessionId: 'steal', snapshotDate: '2024-04-01', perChunk: 5000 })
  const refused = await reconciler.chunk(FUKUOKA, chunks[0] ?? new Uint8Array(), 'line', 'cs:401307')
  t.equal(refused.reasonCode, 'KEN_REJECT_MUNICIPALITY_MISMATCH')
  t.same(refused.differences, [])
  t.equal(refused.summary, null)
  let refusals = 0
  for await (const r of store.entries()) if (r.entry.act?.kind === 'reconcile.refused' && r.entry.act.refused) refusals++
  t.equal(refusals, 1, 'the refused attempt is recorded')
  // Its own run: the answer names items, never a value of the file.
  const own = buildSnapshot(population, FUKUOKA, { missing: 0.01, extra: 0, differing: 0.1, seed: 4 })
  const results: ReconcileResult[] = []
  for (const c of chunksOf(own.records, { municipalityCode: FUKUOKA, sessionId: 'own', snapshotDate: '2024-04-01', perChunk: 500 })) results.push(await reconciler.chunk(FUKUOKA, c, 'line', 'cs'))
  const block = population.block(FUKUOKA)
  const values = new Set<string>()
  for (let i = block.start; i < block.end; i++) {
    const r = population.at(i)
    for (const v of [r.nameKanji, r.nameKana, r.birthDate, r.address, r.kojinBango]) values.add(v)
  }
  for (const r of results) {
    for (const d of r.differences) {
      for (const f of d.fields) t.notOk(values.has(f), 'a field is an item name')
      t.ok(d.kind === DifferenceKind.MISSING_AT_CS || own.expected.has(d.juminhyoCode))
    }
  }
  const text = JSON.stringify(results)
  t.notOk([...values].some((v) => text.includes(v)), 'no name, kana, birth date, address or 個人番号 of the file in any answer')
  await store.close()
})

t.test('chunks sent together are taken in order, in shared batches, each counted once', async (t) => {
  const { store, reconciler } = await fixture()
  const snap = buildSnapshot(population, FUKUOKA, { missing: 0.01, extra: 0.01, differing: 0.02, seed: 6 })
  const chunks = chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId: 'together', snapshotDate: '2024-04-01', perChunk: 50 })
  // Every chunk at once, the third twice: one pass of group commits.
  const all = await Promise.all([...chunks, chunks[2] ?? new Uint8Array()].map(async (c) => await reconciler.chunk(FUKUOKA, c, 'line', 'cs')))
  const final = all.find((r) => r.complete)
  t.equal(final?.summary?.recordsAtCs, snap.records.length, 'every record once')
  t.same(all.at(-1), all[2], 'the chunk sent twice has one result')
  t.same(found(all.slice(0, -1)), new Map([...snap.expected].map(([k, v]) => [k, { kind: v.kind, fields: [...v.fields] }])))
  await store.close()
})
