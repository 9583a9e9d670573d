/**
 * Monthly statistics (SPEC §6 "Statistics"; requirements A6): computed from the log itself, not from
 * counters that can drift — updates per municipality and 異動事由, rejections by reason, and acts by
 * kind, operator, terminal and purpose (情報提供業務利用状況一覧表). A month is Japan's (UTC+9). The
 * month's entries are found by binary search on their recording time (the store's clock moves
 * forward: recordedAt is non-decreasing along the log), then read once.
 */
import { ResultStatus } from '../../../proto/src/types.ts'
import type { LogRecord } from './store-types.ts'
import { errors } from './errors.ts'

/** What the statistics read: the log's head and its entries. */
export interface LogReader {
  readonly head: () => { readonly position: number }
  readonly entries: (from?: number, to?: number) => AsyncIterable<LogRecord>
}

export interface UpdateCount {
  readonly municipalityCode: string
  readonly changeReason: number
  readonly accepted: number
  readonly rejected: number
}

export interface ActCount {
  readonly kind: string
  readonly actor: string
  readonly terminal: string
  readonly purpose: string
  /** The operator card (A6.2 カード別): `card=` of the act's note, '' when it names none. */
  readonly card: string
  readonly refused: number
  readonly done: number
  /** The sum of the done acts' `count` (hits, persons provided, records output). */
  readonly records: number
}

export interface MonthlyStatistics {
  /** YYYY-MM, Japan. */
  readonly month: string
  /** The log positions the month covers (`to` < `from` when it has none). */
  readonly from: number
  readonly to: number
  readonly updates: readonly UpdateCount[]
  readonly rejections: ReadonlyArray<{ readonly reasonCode: string, readonly count: number }>
  readonly acts: readonly ActCount[]
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/
/** The terminal's acts name the operator's card in their note (server/src/store/terminal/context.ts cardOf). */
const CARD = /(?:^| )card=([0-9a-f]{16})(?: |$)/

/** The first instant of a month in Japan, as an ISO string (UTC). */
export function monthStart (month: string): string {
  if (!MONTH.test(month)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('month must be YYYY-MM', { field: 'month' })
  return new Date(`${month}-01T00:00:00+09:00`).toISOString()
}

function nextMonth (month: string): string {
  const y = Number(month.slice(0, 4))
  const m = Number(month.slice(5, 7))
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${month.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`
}

/** The first position recorded at or after `instant` (head + 1 when none). */
export async function firstPositionAtOrAfter (log: LogReader, instant: string): Promise<number> {
  let lo = 1
  let hi = log.head().position + 1
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    let at = ''
    for await (const r of log.entries(mid, mid)) at = r.entry.recordedAt
    if (at < instant) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The statistics of one month. */
export async function monthlyStatistics (log: LogReader, month: string): Promise<MonthlyStatistics> {
  const from = await firstPositionAtOrAfter(log, monthStart(month))
  const to = (await firstPositionAtOrAfter(log, monthStart(nextMonth(month)))) - 1
  const updates = new Map<string, { municipalityCode: string, changeReason: number, accepted: number, rejected: number }>()
  const rejections = new Map<string, number>()
  const acts = new Map<string, { kind: string, actor: string, terminal: string, purpose: string, card: string, refused: number, done: number, records: number }>()
  if (to >= from) {
    for await (const r of log.entries(from, to)) {
      const u = r.entry.update
      if (u !== undefined && u !== null) {
        const key = `${u.municipalityCode}/${u.changeReason}`
        const c = updates.get(key) ?? { municipalityCode: u.municipalityCode, changeReason: u.changeReason, accepted: 0, rejected: 0 }
        if (u.status === ResultStatus.ACCEPTED) c.accepted++
        else c.rejected++
        updates.set(key, c)
        if (u.status === ResultStatus.REJECTED) rejections.set(u.reasonCode, (rejections.get(u.reasonCode) ?? 0) + 1)
      }
      const a = r.entry.act
      if (a !== undefined && a !== null) {
        const card = CARD.exec(a.note)?.[1] ?? ''
        const key = [a.kind, a.actor, a.terminal, a.purpose, card].join('\u0000')
        const c = acts.get(key) ?? { kind: a.kind, actor: a.actor, terminal: a.terminal, purpose: a.purpose, card, refused: 0, done: 0, records: 0 }
        if (a.refused) c.refused++
        else { c.done++; c.records += a.count }
        acts.set(key, c)
      }
    }
  }
  const byKey = <T>(m: Map<string, T>): T[] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v)
  return {
    month,
    from,
    to,
    updates: byKey(updates),
    rejections: [...rejections.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([reasonCode, count]) => ({ reasonCode, count })),
    acts: byKey(acts)
  }
}
