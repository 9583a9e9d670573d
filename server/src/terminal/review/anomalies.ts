/**
 * Anomaly flags of the operation-history review (SPEC §6 操作履歴; requirements A7): what an auditor
 * or the security officer looks at first. Pure: the acts in, the flags out; thresholds configurable,
 * defaults strict. Time of day is Japan's (UTC+9, no DST).
 * - off-hours: an act outside business hours or on a closed weekday (default Saturday, Sunday) / listed holiday;
 * - volume: an operator's acts on one day far above their own median day;
 * - fuzzy: a fuzzy name search with many hits and no record viewed after it (browsing, not looking up);
 * - refusals: repeated refused attempts by one operator on one day.
 */

export interface ReviewAct {
  readonly position: number
  /** When (ISO 8601 date-time, UTC). */
  readonly at: string
  readonly actor: string
  readonly kind: string
  readonly refused: boolean
  /** Search hits (searches only). */
  readonly hits?: number
  /** A fuzzy (kana-normalised) name search. */
  readonly fuzzy?: boolean
}

export type AnomalyFlag = 'off-hours' | 'volume' | 'fuzzy-no-view' | 'repeated-refusals'

export interface AnomalyRules {
  /** Business hours in Japan, [start, end) in hours. */
  readonly businessHours: readonly [number, number]
  /** Weekdays the offices are closed (0 = Sunday … 6 = Saturday, Japan). */
  readonly closedWeekdays: readonly number[]
  /** Dates (YYYY-MM-DD, Japan) that are not business days besides the closed weekdays. */
  readonly holidays: readonly string[]
  /** A day counts as unusual volume above this multiple of the operator's median day … */
  readonly volumeFactor: number
  /** … and above this many acts. */
  readonly volumeMin: number
  /** A fuzzy search with at least this many hits and no view after it is flagged. */
  readonly fuzzyHits: number
  /** This many refusals of one operator on one day flag each of them. */
  readonly refusals: number
}

export const DEFAULT_RULES: AnomalyRules = { businessHours: [8, 19], closedWeekdays: [0, 6], holidays: [], volumeFactor: 3, volumeMin: 30, fuzzyHits: 20, refusals: 3 }

const JST = 9 * 3600_000
const SEARCH = /search/
const VIEW = /view/

/** The flags of each act (position → flags); acts without a flag are absent. */
export function flagAnomalies (acts: readonly ReviewAct[], rules: AnomalyRules = DEFAULT_RULES): Map<number, AnomalyFlag[]> {
  const out = new Map<number, AnomalyFlag[]>()
  const flag = (position: number, f: AnomalyFlag): void => { const list = out.get(position) ?? []; if (!list.includes(f)) list.push(f); out.set(position, list) }
  const local = (a: ReviewAct): Date => new Date(Date.parse(a.at) + JST)
  const day = (a: ReviewAct): string => local(a).toISOString().slice(0, 10)
  const byActorDay = new Map<string, ReviewAct[]>()
  for (const a of acts) {
    const d = local(a)
    const hour = d.getUTCHours()
    if (rules.closedWeekdays.includes(d.getUTCDay()) || rules.holidays.includes(day(a)) || hour < rules.businessHours[0] || hour >= rules.businessHours[1]) flag(a.position, 'off-hours')
    const key = `${a.actor}\u0000${day(a)}`
    const list = byActorDay.get(key)
    if (list === undefined) byActorDay.set(key, [a])
    else list.push(a)
  }
  const byActor = new Map<string, number[]>()
  for (const [key, list] of byActorDay) {
    const actor = key.split('\u0000')[0] ?? ''
    const days = byActor.get(actor)
    if (days === undefined) byActor.set(actor, [list.length])
    else days.push(list.length)
    const refused = list.filter((a) => a.refused)
    if (refused.length >= rules.refusals) for (const a of refused) flag(a.position, 'repeated-refusals')
  }
  for (const [key, list] of byActorDay) {
    const median = medianOf(byActor.get(key.split('\u0000')[0] ?? '') ?? [])
    if (list.length >= rules.volumeMin && list.length > rules.volumeFactor * median) for (const a of list) flag(a.position, 'volume')
  }
  const sorted = [...acts].sort((a, b) => a.position - b.position)
  sorted.forEach((a, i) => {
    if (!SEARCH.test(a.kind) || a.fuzzy !== true || (a.hits ?? 0) < rules.fuzzyHits) return
    let next: ReviewAct | undefined
    for (let j = i + 1; j < sorted.length && next === undefined; j++) {
      const b = sorted[j] as ReviewAct
      if (b.actor === a.actor && (SEARCH.test(b.kind) || VIEW.test(b.kind))) next = b
    }
    if (next === undefined || !VIEW.test(next.kind)) flag(a.position, 'fuzzy-no-view')
  })
  return out
}

function medianOf (values: readonly number[]): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}
