// Monthly statistics (SPEC §6) equal counts recomputed independently from the log: here by bucketing
// every entry by its month in Japan, where the store finds the month by binary search.
import t from 'tap'
import { ChangeReason, ResultStatus } from '../../../proto/src/types.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { monthlyStatistics } from '../../../server/src/store/statistics.ts'
import { Cs, FUKUOKA, KITAKYUSHU, item, person, TEST_APPLIANCE_KEY } from './helpers.ts'

t.test('a month\'s updates, rejections and acts, from the log', async (t) => {
  let now = new Date('2026-09-30T14:59:00Z') // 2026-09-30 23:59 in Japan
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, clock: () => now })
  await store.open()
  t.teardown(async () => await store.close())
  const fk = new Cs(FUKUOKA)
  const kk = new Cs(KITAKYUSHU)
  await store.append([item(fk.identity(person(1)))])
  now = new Date('2026-09-30T15:00:00Z') // 2026-10-01 00:00 in Japan
  await store.append([item(fk.identity(person(2))), item(fk.identity(person(3)))])
  await store.append([item(fk.identity(person(2)))]) // rejected: already a resident
  await store.append([item(fk.identity(person(3, { changeReason: ChangeReason.TENKYO, changeDate: '2026-09-01', address: '福岡県福岡市中央区天神1丁目' })))])
  await store.recordAct({ kind: 'store.act-test', actor: 'op-1', terminal: 'T-01', purpose: 'P-1' })
  await store.recordAct({ kind: 'store.act-test', actor: 'op-1', terminal: 'T-01', purpose: 'P-1', refused: true, reasonCode: 'KEN_ERR_X' })
  now = new Date('2026-10-31T15:00:00Z') // November in Japan
  await store.append([item(kk.identity(person(4)))])
  await store.recordAct({ kind: 'store.act-test', actor: 'op-2', terminal: 'T-02', purpose: 'P-2' })

  const october = await monthlyStatistics(store, '2026-10')
  // Independently: every entry, bucketed by its date in Japan.
  const expected = new Map<string, { accepted: number, rejected: number }>()
  let acts = 0
  for await (const r of store.entries()) {
    const month = new Date(Date.parse(r.entry.recordedAt) + 9 * 3600_000).toISOString().slice(0, 7)
    if (month !== '2026-10') continue
    const u = r.entry.update
    if (u !== undefined && u !== null) {
      const k = `${u.municipalityCode}/${u.changeReason}`
      const e = expected.get(k) ?? { accepted: 0, rejected: 0 }
      if (u.status === ResultStatus.ACCEPTED) e.accepted++
      else e.rejected++
      expected.set(k, e)
    }
    if (r.entry.act !== undefined && r.entry.act !== null) acts++
  }
  t.same(Object.fromEntries(october.updates.map((u) => [`${u.municipalityCode}/${u.changeReason}`, { accepted: u.accepted, rejected: u.rejected }])), Object.fromEntries(expected))
  t.same(october.updates.map((u) => [u.changeReason, u.accepted, u.rejected]), [[ChangeReason.TENKYO, 1, 0], [ChangeReason.SHUSSEI, 2, 1]])
  t.same(october.rejections, [{ reasonCode: 'KEN_REJECT_ALREADY_RESIDENT', count: 1 }])
  t.same(october.acts, [{ kind: 'store.act-test', actor: 'op-1', terminal: 'T-01', purpose: 'P-1', card: '', refused: 1, done: 1, records: 0 }])
  t.equal(october.acts.reduce((n, a) => n + a.refused + a.done, 0), acts)
  t.same([october.from, october.to], [2, 7])
  const september = await monthlyStatistics(store, '2026-09')
  t.same([september.from, september.to], [1, 1])
  const november = await monthlyStatistics(store, '2026-11')
  t.same(november.updates.map((u) => u.municipalityCode), [KITAKYUSHU])
  const empty = await monthlyStatistics(store, '2026-12')
  t.ok(empty.to < empty.from)
  t.same(empty.updates, [])
  await t.rejects(monthlyStatistics(store, '2026-13'), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
})
