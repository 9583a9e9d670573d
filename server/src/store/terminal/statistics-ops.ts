/**
 * Monthly statistics on the terminal socket (SPEC §6 "Statistics"; requirements A6.1–A6.6, H14–H16):
 * computed from the log on every request (statistics.ts), never from counters that can drift, as
 * tables of rows the console draws, downloads as CSV and prints as PDF. Each run is an act with the
 * month and its recorded reason (A6.6: "統計処理を行う場合…作業内容を記録する"). No row carries
 * personal data: municipalities, reasons, purposes, departments, terminals, operators and cards.
 */
import { ChangeReason, type MonthlyReport, type StatisticsQuery, type StatisticsRow, type TerminalResponse } from '../../../../proto/src/types.ts'
import { monthlyStatistics, type ActCount } from '../statistics.ts'
import { actorFields, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'

type Answer = Partial<TerminalResponse>

/** The reconciliation's monthly 統計情報不一致リスト (reconcile/mismatch-list.ts), when the store runs it. */
export interface MonthlyMismatches {
  readonly monthly: (month: string) => Promise<MonthlyReport>
}

/** The acts of 情報提供業務 that the usage lists count (A6.2 利用状況一覧表). */
export const USAGE_KINDS: ReadonlySet<string> = new Set(['terminal.search', 'terminal.view', 'terminal.provide', 'terminal.bulk.run'])
/** Provisions (A6.3 提供件数): the terminal's 提供・移転 and bulk provisions. */
export const PROVISION_KINDS: ReadonlySet<string> = new Set(['terminal.provide', 'terminal.bulk.run'])

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
const REASON = /^[A-Za-z0-9_/-]{0,32}$/
const REASON_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ChangeReason).map(([name, value]) => [value, name]))

export async function statistics (ctx: TerminalContext, actor: Actor, q: StatisticsQuery, mismatches: MonthlyMismatches | undefined): Promise<Answer> {
  const base = { kind: 'terminal.statistics', ...actorFields(actor), note: `month=${q.month.slice(0, 7)} reason=${q.reason.slice(0, 32)}` }
  if (!MONTH.test(q.month) || !REASON.test(q.reason)) {
    return refusal(errors.KEN_ERR_TERM_BAD_REQUEST, MONTH.test(q.month) ? 'reason' : 'month', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_BAD_REQUEST.code }))
  }
  const s = await monthlyStatistics(ctx.store, q.month)
  const rows: StatisticsRow[] = [
    ...s.updates.map((u) => row('updates', [u.municipalityCode, REASON_NAMES.get(u.changeReason) ?? String(u.changeReason)], u.accepted, u.rejected, 0)),
    ...s.rejections.map((r) => row('rejections', [r.reasonCode], r.count, 0, 0)),
    ...sum(s.acts.filter((a) => PROVISION_KINDS.has(a.kind)), (a) => [a.purpose, ctx.accounts.get(a.actor)?.department ?? '', a.kind === 'terminal.bulk.run' ? 'bulk' : 'terminal'], 'provisions'),
    ...sum(s.acts.filter((a) => USAGE_KINDS.has(a.kind)), (a) => [a.terminal], 'usage-terminal'),
    ...sum(s.acts.filter((a) => USAGE_KINDS.has(a.kind)), (a) => [a.actor], 'usage-operator'),
    ...sum(s.acts.filter((a) => USAGE_KINDS.has(a.kind) && a.card !== ''), (a) => [a.card, a.actor], 'usage-card'),
    ...(mismatches === undefined ? [] : (await mismatches.monthly(q.month)).rows.map((m) => row('mismatches', [m.municipalityCode, String(m.recordsAtCs), String(m.recordsHere)], m.openMismatches, 0, 0)))
  ]
  const position = await recordAct(ctx, { ...base, count: rows.length, fromPosition: s.from, toPosition: Math.max(0, s.to) })
  return { logPosition: position, statistics: { month: q.month, fromPosition: s.from, toPosition: Math.max(0, s.to), rows, prefectureName: ctx.options.prefectureName } }
}

function row (table: string, keys: string[], count: number, refused: number, records: number): StatisticsRow {
  return { table, keys, count, refused, records }
}

/** Acts summed by a key (done, refused, records), sorted by key. */
function sum (acts: readonly ActCount[], key: (a: ActCount) => string[], table: string): StatisticsRow[] {
  const out = new Map<string, StatisticsRow>()
  for (const a of acts) {
    const keys = key(a)
    const k = keys.join('\u0000')
    const r = out.get(k) ?? row(table, keys, 0, 0, 0)
    out.set(k, { ...r, count: r.count + a.done, refused: r.refused + a.refused, records: r.records + a.records })
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v)
}
