// Statistics and the operation-history review on the terminal socket (requirements A6, A7, H14–H16,
// H18): a month's counts equal counts recomputed here independently from the log; the review flags
// an off-hours search, decodes rows without any resident's data, and the yearly sample is
// reproducible from the seed its own act records. Auditors and security officers get no resident op.
import t from 'tap'
import { ProvisionKind, type SearchQuery, type TerminalRequest, type TerminalResponse } from '../../../../proto/src/types.ts'
import { MemoryAccounts } from '../../../../server/src/store/terminal/account-book.ts'
import { TerminalService, type TerminalServiceDeps } from '../../../../server/src/store/terminal/service.ts'
import { parseReviewRules } from '../../../../server/src/store/terminal/review-rules.ts'
import { samplePositions } from '../../../../server/src/terminal/review/sample.ts'
import { person, tempDir } from '../helpers.ts'
import { actsAfter } from './helpers.ts'
import { auditorSession, makeReportFixture, type ReportFixture } from './report-fixture.ts'

const RESIDENTS = 40
const q = (o: Partial<SearchQuery>): SearchQuery => ({ purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false, ...o })
const japanMonth = (iso: string): string => new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 7)

/** A clerk's morning: searches, a view, a provision, a refused search (purpose not approved). */
async function workday (f: ReportFixture): Promise<void> {
  const s = f.sessions.OP001
  for (const i of [1, 2, 3]) {
    const p = person(i)
    const found = await f.ask({ session: s, search: q({ name: p.nameKanji, address: p.address }) })
    const ref = found.search?.hits[0]?.ref ?? ''
    if (i === 2) {
      await f.ask({ session: s, view: { purpose: 'B5-RYOKEN', ref } })
      await f.ask({ session: s, provide: { purpose: 'B5-RYOKEN', kind: ProvisionKind.ITEN, recipient: 'R-RYOKEN', refs: [ref], items: ['name', 'address'], channel: 'terminal', reference: 'DOC-7' } })
    }
  }
  await f.ask({ session: s, search: q({ purpose: 'B6-KENZEI', juminhyoCode: person(4).juminhyoCode }) })
}

/** A second service on the fixture's store, with the given set-up, and a logged-in auditor of its own. */
async function auditorService (f: ReportFixture, deps: Pick<TerminalServiceDeps, 'mismatches' | 'reviewRules'>): Promise<{ ask: (req: Partial<TerminalRequest>) => Promise<TerminalResponse>, session: Uint8Array }> {
  const service = new TerminalService({ store: f.store, accounts: new MemoryAccounts(), clock: f.clock.read, ...deps, options: { scryptCost: { n: 1 << 10, r: 8, p: 1 } } })
  await service.open()
  return await auditorSession(f, service)
}

/** Every personal value of the seeded residents, for scanning what a reviewer receives. */
function personalValues (): string[] {
  return Array.from({ length: RESIDENTS }, (_, i) => person(i)).flatMap((p) => [p.nameKanji, p.nameKana, p.juminhyoCode, p.kojinBango, p.address])
}

t.test('statistics of a month equal counts recomputed from the log; recorded with the reason', async (t) => {
  const f = await makeReportFixture(tempDir(t), { residents: RESIDENTS })
  t.teardown(async () => await f.store.close())
  await workday(f)
  f.clock.now = new Date('2026-06-30T15:30:00Z') // 1 July in Japan: the next month
  await f.relogin('OP001', 'AU001')
  await workday(f)
  const answer = await f.ask({ session: f.sessions.AU001, statistics: { month: '2026-06', reason: 'MONTHLY-6' } })
  t.equal(answer.errorCode, '')
  const report = answer.statistics
  if (report == null) return t.fail('no report')
  const table = (name: string): Record<string, [number, number, number]> =>
    Object.fromEntries(report.rows.filter((r) => r.table === name).map((r) => [r.keys.join('|'), [r.count, r.refused, r.records]]))

  // Independently: walk the whole log, keep June (Japan), count by hand.
  const usage = new Map<string, [number, number, number]>()
  const provisions = new Map<string, [number, number, number]>()
  const updates = new Map<string, number>()
  for await (const r of f.store.entries(1, answer.logPosition - 1)) {
    if (japanMonth(r.entry.recordedAt) !== '2026-06') continue
    if (r.entry.update != null) updates.set(r.entry.update.municipalityCode, (updates.get(r.entry.update.municipalityCode) ?? 0) + 1)
    const a = r.entry.act
    if (a == null) continue
    const add = (m: Map<string, [number, number, number]>, k: string): void => {
      const c = m.get(k) ?? [0, 0, 0]
      m.set(k, a.refused ? [c[0], c[1] + 1, c[2]] : [c[0] + 1, c[1], c[2] + a.count])
    }
    if (['terminal.search', 'terminal.view', 'terminal.provide', 'terminal.bulk.run'].includes(a.kind)) add(usage, a.actor)
    if (a.kind === 'terminal.provide') add(provisions, `${a.purpose}|D-SHICHOSON|terminal`)
  }
  t.same(table('usage-operator'), Object.fromEntries(usage))
  t.same(table('provisions'), Object.fromEntries(provisions))
  t.same(Object.fromEntries(Object.entries(table('updates')).map(([k, v]) => [k.split('|')[0], v[0] + v[1]])), Object.fromEntries(updates))
  t.same(table('usage-operator').OP001, [5, 1, 5], 'June: 3 searches + view + provide done (hits 3, view 1, provided 1), 1 refused')
  t.ok(Object.keys(table('usage-card')).every((k) => /^[0-9a-f]{16}\|OP001$/.test(k)), 'per card (A6.2)')
  t.same(Object.keys(table('usage-terminal')), ['T-TEST'])

  const acts = await actsAfter(f.store, answer.logPosition - 1)
  t.match(acts[0], { kind: 'terminal.statistics', actor: 'AU001', note: 'month=2026-06 reason=MONTHLY-6', count: report.rows.length })
  t.equal((await f.ask({ session: f.sessions.OP001, statistics: { month: '2026-06', reason: '' } })).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN')
  t.equal((await f.ask({ session: f.sessions.AU001, statistics: { month: '2026-13', reason: '' } })).errorCode, 'KEN_ERR_TERM_BAD_REQUEST')
})

t.test('review: an off-hours search is flagged; filters; rows decoded; no resident data; the auditor has no resident op', async (t) => {
  const f = await makeReportFixture(tempDir(t), { residents: RESIDENTS })
  t.teardown(async () => await f.store.close())
  await workday(f)
  f.clock.now = new Date('2026-06-01T18:00:00Z') // 03:00 on 2 June in Japan
  await f.relogin('OP001', 'AU001', 'SO001')
  const night = await f.ask({ session: f.sessions.OP001, search: q({ juminhyoCode: person(9).juminhyoCode }) })
  t.equal(night.errorCode, '')
  f.clock.now = new Date('2026-06-02T01:00:00Z')
  await f.relogin('AU001', 'SO001', 'OP001')

  const all = await f.ask({ session: f.sessions.AU001, review: { actor: '', terminal: '', from: '2026-06-01', to: '2026-06-02', kind: '', purpose: '', flaggedOnly: false } })
  t.equal(all.errorCode, '')
  const rows = all.review?.rows ?? []
  const flagged = rows.find((r) => r.position === night.logPosition)
  t.same(flagged?.flags, ['off-hours'])
  t.match(flagged, { kind: 'terminal.search', actor: 'OP001', purpose: 'B5-RYOKEN', count: 1 })
  t.match(flagged?.title, /本人確認情報検索/)
  const daytime = rows.filter((r) => r.actor === 'OP001' && r.position < night.logPosition && r.kind === 'terminal.search')
  t.ok(daytime.length >= 3 && daytime.every((r) => !r.flags.includes('off-hours')), 'daytime searches are not off-hours')

  const only = await f.ask({ session: f.sessions.SO001, review: { actor: 'OP001', terminal: 'T-TEST', from: '2026-06-01', to: '2026-06-02', kind: 'terminal.search', purpose: 'B5-RYOKEN', flaggedOnly: true } })
  t.same(only.review?.rows.map((r) => r.position), [night.logPosition], 'filters: operator, terminal, kind, purpose, flagged')
  const refusedSearch = rows.find((r) => r.refused && r.kind === 'terminal.search')
  t.equal(refusedSearch?.reasonCode, 'KEN_ERR_TERM_PURPOSE_NOT_APPROVED')

  const text = JSON.stringify([all, only])
  const leaks = personalValues().filter((v) => text.includes(v))
  t.same(leaks, [], 'no name, kana, address, 住民票コード or 個人番号 of any resident in a review answer')

  const acts = await actsAfter(f.store, all.logPosition - 1)
  t.match(acts[0], { kind: 'terminal.review.query', actor: 'AU001', count: rows.length })
  t.match(acts[0]?.note, /from=2026-06-01 to=2026-06-02/)

  for (const id of ['AU001', 'SO001']) {
    const s = f.sessions[id]
    const codes = [
      (await f.ask({ session: s, search: q({ juminhyoCode: person(1).juminhyoCode }) })).errorCode,
      (await f.ask({ session: s, view: { purpose: 'B5-RYOKEN', ref: 'r-1' } })).errorCode,
      (await f.ask({ session: s, provide: { purpose: 'B5-RYOKEN', kind: ProvisionKind.ITEN, recipient: 'R-RYOKEN', refs: ['r-1'], items: ['name'], channel: 'terminal', reference: '' } })).errorCode,
      (await f.ask({ session: s, bulkRun: { approvalId: 1, purpose: 'B5-RYOKEN', medium: 'usb', conditions: [] } })).errorCode
    ]
    t.same(codes, Array(4).fill('KEN_ERR_TERM_ROLE_FORBIDDEN'), `${id}: every resident op refused`)
  }
  t.equal((await f.ask({ session: f.sessions.OP001, review: { actor: '', terminal: '', from: '', to: '', kind: '', purpose: '', flaggedOnly: false } })).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'an operator does not review')
  for (const [from, to] of [['', '2026-13-45'], ['2026-02-30', '2026-03-01'], ['2026-06-02', '2026-06-01'], ['2025-01-01', '2026-06-01']] as const) {
    const r = await f.ask({ session: f.sessions.AU001, review: { actor: '', terminal: '', from, to, kind: '', purpose: '', flaggedOnly: false } })
    t.equal(r.errorCode, 'KEN_ERR_TERM_BAD_REQUEST', `period ${from}..${to} refused`)
    t.ok(r.logPosition > 0, 'and recorded')
  }
})

t.test('the yearly sample: seed, size and range are an act; the same seed and range give the same sample', async (t) => {
  const f = await makeReportFixture(tempDir(t), { residents: RESIDENTS })
  t.teardown(async () => await f.store.close())
  await workday(f)
  await workday(f)
  const first = await f.ask({ session: f.sessions.AU001, reviewSample: { fiscalYear: 2026, size: 5, seed: '', upTo: 0 } })
  t.equal(first.errorCode, '')
  const sample = first.review
  if (sample == null) return t.fail('no sample')
  t.equal(sample.rows.length, 5)
  t.match(sample.seed, /^[0-9a-f]{32}$/)
  const [act] = await actsAfter(f.store, first.logPosition - 1)
  t.match(act, { kind: 'terminal.review.sample', actor: 'AU001', count: 5 })
  t.match(act?.note, new RegExp(`fy=2026 size=5 seed=${sample.seed} population=${sample.population}`))

  await workday(f) // the log grows; the recorded range still gives the same sample
  const again = await f.ask({ session: f.sessions.SO001, reviewSample: { fiscalYear: 2026, size: 5, seed: sample.seed, upTo: act?.toPosition ?? 0 } })
  t.same(again.review?.rows.map((r) => r.position), sample.rows.map((r) => r.position))
  const population: number[] = []
  for await (const r of f.store.entries(act?.fromPosition ?? 1, act?.toPosition ?? 0)) if (r.entry.act != null) population.push(r.position)
  t.same(samplePositions(population, 5, sample.seed), sample.rows.map((r) => r.position), 'recomputed from the log alone')
  t.equal((await f.ask({ session: f.sessions.AU001, reviewSample: { fiscalYear: 2026, size: 5, seed: 'xyz', upTo: 0 } })).errorCode, 'KEN_ERR_TERM_BAD_REQUEST')
})

t.test('the reconciliation\'s monthly mismatch list is the statistics\' mismatches table (H16)', async (t) => {
  const dir = tempDir(t)
  const f = await makeReportFixture(dir, { residents: 4 })
  t.teardown(async () => await f.store.close())
  const asked: string[] = []
  const mismatches = {
    monthly: async (month: string) => {
      asked.push(month)
      return { month, rows: [{ municipalityCode: '401307', recordsAtCs: 5, recordsHere: 4, currentNow: 4, openMismatches: 1, runPosition: 2 }], items: [] }
    }
  }
  const { ask, session } = await auditorService(f, { mismatches })
  const r = await ask({ session, statistics: { month: '2026-06', reason: '' } })
  t.equal(r.errorCode, '')
  t.same(asked, ['2026-06'])
  t.same(r.statistics?.rows.filter((x) => x.table === 'mismatches').map((x) => [x.keys, x.count]), [[['401307', '5', '4'], 1]])
})

t.test('the review rules a prefecture sets: a listed closed day makes a daytime search off-hours', async (t) => {
  const f = await makeReportFixture(tempDir(t), { residents: 8 })
  t.teardown(async () => await f.store.close())
  await workday(f) // 1 June 2026, 10:00 in Japan: a Monday
  const rules = parseReviewRules({ holidays: ['2026-06-01'], businessHours: [9, 17] })
  const { ask, session } = await auditorService(f, { reviewRules: rules })
  const r = await ask({ session, review: { actor: 'OP001', terminal: '', from: '2026-06-01', to: '2026-06-01', kind: 'terminal.search', purpose: '', flaggedOnly: false } })
  t.equal(r.errorCode, '')
  t.ok((r.review?.rows.length ?? 0) >= 3 && r.review?.rows.every((x) => x.flags.includes('off-hours')), 'every search of the closed day flagged')
  const plain = await f.ask({ session: f.sessions.AU001, review: { actor: 'OP001', terminal: '', from: '2026-06-01', to: '2026-06-01', kind: 'terminal.search', purpose: '', flaggedOnly: true } })
  t.same(plain.review?.rows, [], 'with the default rules the same searches are business as usual')
  for (const bad of [{ holidays: ['2026-02-30'] }, { businessHours: [18, 9] }, { refusals: 0 }, { unknown: 1 }]) t.throws(() => parseReviewRules(bad), { code: 'KEN_ERR_TERM_OPTIONS' })
})
