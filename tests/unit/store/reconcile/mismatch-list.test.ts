// The mismatch list and the monthly 統計情報不一致リスト (SPEC §5.3, requirements C5, C6, H16): each
// difference with its run and status; resolved as explained (with a note) or as fixed by the
// municipality's later accepted update for that resident; every resolution a log entry; a clean
// month gives an empty list.
import t from 'tap'
import { createHash, randomBytes } from 'node:crypto'
import { encode } from '../../../../proto/src/codec.ts'
import { ChangeReason, DifferenceKind, MismatchStatus, ResultStatus } from '../../../../proto/src/types.ts'
import { MemoryStore } from '../../../../server/src/store/memory-store.ts'
import { Reconciler } from '../../../../server/src/store/reconcile/reconciler.ts'
import { MismatchList } from '../../../../server/src/store/reconcile/mismatch-list.ts'
import { memoryWorkDb } from '../../../../server/src/store/reconcile/work-db.ts'
import { loadMunicipalities, FUKUOKA_MUNICIPALITIES_FILE } from '../../../../firmware-config/src/index.ts'
import { generatePopulation } from '../../../sim/generator/index.ts'
import { envelope, identityOf } from '../../../sim/generator/bodies.ts'
import { Stream } from '../../../../proto/src/types.ts'
import { buildSnapshot, chunksOf } from '../../../sim/cs-sim/reconcile-run.ts'
import { loadMunicipality } from '../../../sim/cs-sim/load-store.ts'

const FUKUOKA = '401307'
const population = generatePopulation({ seed: 16, municipalities: loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.filter((m) => m.code === FUKUOKA), count: 400 })
const clock = (): Date => new Date('2026-11-29T03:00:00.000Z')

async function run (store: MemoryStore, reconciler: Reconciler, sessionId: string, differing: number): Promise<void> {
  const snap = buildSnapshot(population, FUKUOKA, { missing: 0, extra: 0, differing, seed: 7 })
  for (const c of chunksOf(snap.records, { municipalityCode: FUKUOKA, sessionId, snapshotDate: population.asOf, perChunk: 100 })) await reconciler.chunk(FUKUOKA, c, 'media', 'op-0001')
}

t.test('list, resolve as explained or fixed, and the monthly list', async (t) => {
  const store = new MemoryStore({ applianceKey: randomBytes(32), clock })
  await store.open()
  await loadMunicipality(store, population, FUKUOKA)
  const work = memoryWorkDb()
  const reconciler = new Reconciler(store, work)
  const list = new MismatchList(store, work)

  // A clean run: the month's list is empty (H16).
  await run(store, reconciler, 'clean', 0)
  t.same(await list.monthly('2026-11'), { month: '2026-11', rows: [], items: [] }, 'a clean month gives an empty list')

  await run(store, reconciler, 'dirty', 0.05)
  const open = await list.list({ openOnly: true })
  t.ok(open.length >= 2, 'differences listed')
  t.ok(open.every((i) => i.status === MismatchStatus.OPEN && i.difference?.kind === DifferenceKind.DIFFERS && i.municipalityCode === FUKUOKA))
  const monthly = await list.monthly('2026-11')
  t.equal(monthly.rows.length, 1)
  t.equal(monthly.rows[0]?.openMismatches, open.length)
  t.equal(monthly.items.length, open.length)
  t.same(await list.monthly('2026-10'), { month: '2026-10', rows: [], items: [] }, 'another month knows nothing of it')

  const [first, second] = open
  if (first === undefined || second === undefined) throw new Error('fixture')
  await t.rejects(list.resolve({ runPosition: first.runPosition, index: first.index, status: MismatchStatus.EXPLAINED, fixedAt: 0, actor: 'op-0001', approver: 'sec-01', note: '' }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' }, 'an explanation needs a note')
  await t.rejects(list.resolve({ runPosition: first.runPosition, index: 999, status: MismatchStatus.EXPLAINED, fixedAt: 0, actor: 'op-0001', approver: 'sec-01', note: 'REQ-1' }), { code: 'KEN_ERR_STORE_RECONCILE_UNKNOWN' })
  const explained = await list.resolve({ runPosition: first.runPosition, index: first.index, status: MismatchStatus.EXPLAINED, fixedAt: 0, actor: 'op-0001', approver: 'sec-01', note: 'REQ-1' })
  t.equal(explained.status, MismatchStatus.EXPLAINED)
  t.equal(explained.resolvedBy, 'op-0001')
  t.equal(explained.approver, 'sec-01')
  t.equal(explained.note, 'REQ-1')
  t.ok(explained.resolutionPosition > first.runPosition)
  await t.rejects(list.resolve({ runPosition: first.runPosition, index: first.index, status: MismatchStatus.EXPLAINED, fixedAt: 0, actor: 'op-0001', approver: 'sec-01', note: 'REQ-1' }), { code: 'KEN_ERR_STORE_RECONCILE_RESOLVED' })

  // Fixed: only by an accepted update of that municipality for that resident after the run.
  await t.rejects(list.resolve({ runPosition: second.runPosition, index: second.index, status: MismatchStatus.FIXED, fixedAt: 1, actor: 'op-0001', approver: 'sec-01', note: 'REQ-2' }), { code: 'KEN_ERR_STORE_RECONCILE_FIX' }, 'an update before the run fixes nothing')
  const code = second.difference?.juminhyoCode ?? ''
  let index = population.block(FUKUOKA).start
  while (population.at(index).juminhyoCode !== code) index++
  const r = population.at(index)
  const update = envelope(FUKUOKA, Stream.NORMAL, 10_000, '2026-11-29T12:00:00+09:00', 1, { identity: { ...identityOf(r, ChangeReason.TENKYO, '2026-11-28'), address: r.address + '２番' } })
  const [result] = await store.append([{ municipalityCode: FUKUOKA, update, rejection: null, payloadSha256: createHash('sha256').update(encode('Update', update)).digest() }])
  t.equal(result?.status, ResultStatus.ACCEPTED)
  const fixed = await list.resolve({ runPosition: second.runPosition, index: second.index, status: MismatchStatus.FIXED, fixedAt: result?.logPosition ?? 0, actor: 'op-0002', approver: 'sec-01', note: 'REQ-2' })
  t.equal(fixed.status, MismatchStatus.FIXED)
  t.equal(fixed.fixedAt, result?.logPosition)
  t.equal((await list.list({ openOnly: true })).length, open.length - 2)
  let resolutions = 0
  for await (const e of store.entries()) if (e.entry.act?.kind === 'reconcile.resolve') resolutions++
  t.equal(resolutions, 2, 'each resolution is a log entry')
  await store.close()
})
