/**
 * The operation-history review (SPEC §6 操作履歴; requirements A7.4–A7.6, H18) for the auditor and
 * the security officer: the acts of a period, filtered (operator, terminal, act kind, purpose),
 * decoded (the kind's title from act-kinds.ts) and flagged (review/anomalies.ts); and the random
 * sample of a fiscal year for the yearly third-party check, whose seed, size and range are themselves
 * an act, so anyone with the log reproduces it (review/sample.ts). Rows are the acts' clear fields
 * only — never the sealed detail nor the subjects: the reviewer sees the history, not the residents.
 */
import type { LogAct, ReviewQuery, ReviewRow, ReviewSampleRequest, TerminalResponse } from '../../../../proto/src/types.ts'
import { ACT_KINDS } from '../../../../proto/src/act-kinds.ts'
import { isIsoDate } from '../../domain/dates.ts'
import { DEFAULT_RULES, flagAnomalies, type AnomalyRules, type ReviewAct } from '../../terminal/review/anomalies.ts'
import { newSampleSeed, samplePositions } from '../../terminal/review/sample.ts'
import { firstPositionAtOrAfter } from '../statistics.ts'
import { japanDate } from './bulk-approval.ts'
import { actorFields, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'

type Answer = Partial<TerminalResponse>

/** Rows one review answer holds at most (narrow the filters for more). */
export const MAX_REVIEW_ROWS = 500
const MAX_SAMPLE = 1000
const MAX_DAYS = 366
const DAY_MS = 86_400_000
const CODE = /^[A-Za-z0-9._-]{0,64}$/

/** The first instant of a day in Japan, ISO (UTC). */
function dayStart (date: string): string {
  return new Date(`${date}T00:00:00+09:00`).toISOString()
}

function toRow (position: number, at: string, a: LogAct, flags: readonly string[]): ReviewRow {
  return {
    position, at, kind: a.kind, title: ACT_KINDS[a.kind]?.title ?? '', actor: a.actor, role: a.role, terminal: a.terminal, purpose: a.purpose,
    refused: a.refused, reasonCode: a.reasonCode, count: a.count, note: a.note, flags: [...flags], approver: a.approver
  }
}

function reviewAct (position: number, at: string, a: LogAct): ReviewAct {
  return { position, at, actor: a.actor, kind: a.kind, refused: a.refused, hits: a.count, fuzzy: / fuzzy(?: |$)/.test(a.note) }
}

export async function review (ctx: TerminalContext, actor: Actor, q: ReviewQuery, rules: AnomalyRules = DEFAULT_RULES): Promise<Answer> {
  const today = japanDate(ctx.clock())
  const to = q.to === '' ? today : q.to
  // A malformed `to` is refused below; the default `from` is only computed from a valid one.
  const from = q.from !== '' ? q.from : isIsoDate(to) ? japanDate(new Date(Date.parse(dayStart(to)) - 30 * DAY_MS)) : ''
  const filters = `actor=${q.actor.slice(0, 16)} terminal=${q.terminal.slice(0, 64)} kind=${q.kind.slice(0, 64)} purpose=${q.purpose.slice(0, 32)} from=${from.slice(0, 10)} to=${to.slice(0, 10)}${q.flaggedOnly ? ' flagged' : ''}`
  const base = { kind: 'terminal.review.query', ...actorFields(actor), note: filters.slice(0, 256) }
  const bad = !isIsoDate(from) ? 'from' : !isIsoDate(to) || to < from || Date.parse(to) - Date.parse(from) > MAX_DAYS * DAY_MS ? 'to' : [q.actor, q.terminal, q.kind, q.purpose].some((s) => !CODE.test(s)) ? 'filters' : ''
  if (bad !== '') return refusal(errors.KEN_ERR_TERM_BAD_REQUEST, bad, await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_BAD_REQUEST.code }))
  const fromPosition = await firstPositionAtOrAfter(ctx.store, dayStart(from))
  const toPosition = (await firstPositionAtOrAfter(ctx.store, new Date(Date.parse(dayStart(to)) + DAY_MS).toISOString())) - 1
  // The flags compare each operator with their own period, so they are computed over every act of it.
  const acts: Array<{ position: number, at: string, act: LogAct }> = []
  if (toPosition >= fromPosition) {
    for await (const r of ctx.store.entries(fromPosition, toPosition)) if (r.entry.act != null) acts.push({ position: r.position, at: r.entry.recordedAt, act: r.entry.act })
  }
  const flags = flagAnomalies(acts.map((x) => reviewAct(x.position, x.at, x.act)), rules)
  const matching = acts.filter(({ position, act }) =>
    (q.actor === '' || act.actor === q.actor) && (q.terminal === '' || act.terminal === q.terminal) && (q.kind === '' || act.kind === q.kind) &&
    (q.purpose === '' || act.purpose === q.purpose) && (!q.flaggedOnly || flags.has(position)))
  const rows = matching.slice(0, MAX_REVIEW_ROWS).map((x) => toRow(x.position, x.at, x.act, flags.get(x.position) ?? []))
  const position = await recordAct(ctx, { ...base, count: rows.length, fromPosition, toPosition: Math.max(0, toPosition) })
  return { logPosition: position, review: { rows, truncated: matching.length > rows.length, seed: '', population: acts.length } }
}

/**
 * A7.6: the yearly sample. The population is every act of the fiscal year (April–March, Japan) up to
 * `upTo` (or the head); the selection is samplePositions(population, size, seed). The act records the
 * seed, the size and the range, so `{ fiscalYear, size, seed, upTo: to_position }` gives it again.
 */
export async function reviewSample (ctx: TerminalContext, actor: Actor, q: ReviewSampleRequest): Promise<Answer> {
  const seed = q.seed === '' ? newSampleSeed() : q.seed
  const base = { kind: 'terminal.review.sample', ...actorFields(actor), note: `fy=${q.fiscalYear} size=${q.size} seed=${seed.slice(0, 32)}` }
  const bad = q.fiscalYear < 2000 || q.fiscalYear > 2200 ? 'fiscalYear' : q.size < 1 || q.size > MAX_SAMPLE ? 'size' : !/^[0-9a-f]{32}$/.test(seed) ? 'seed' : ''
  if (bad !== '') return refusal(errors.KEN_ERR_TERM_BAD_REQUEST, bad, await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_BAD_REQUEST.code }))
  const fromPosition = await firstPositionAtOrAfter(ctx.store, dayStart(`${q.fiscalYear}-04-01`))
  const yearEnd = (await firstPositionAtOrAfter(ctx.store, dayStart(`${q.fiscalYear + 1}-04-01`))) - 1
  const toPosition = q.upTo > 0 ? Math.min(q.upTo, yearEnd) : yearEnd
  const population: number[] = []
  if (toPosition >= fromPosition) for await (const r of ctx.store.entries(fromPosition, toPosition)) if (r.entry.act != null) population.push(r.position)
  const rows: ReviewRow[] = []
  for (const p of samplePositions(population, q.size, seed)) {
    for await (const r of ctx.store.entries(p, p)) if (r.entry.act != null) rows.push(toRow(p, r.entry.recordedAt, r.entry.act, []))
  }
  const position = await recordAct(ctx, { ...base, note: `${base.note} population=${population.length}`, count: rows.length, fromPosition, toPosition: Math.max(0, toPosition) })
  return { logPosition: position, review: { rows, truncated: false, seed, population: population.length } }
}
