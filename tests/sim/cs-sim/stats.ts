/**
 * What the CS simulator counts, per municipality, and how it judges one result against the event
 * that caused it: the 更新順番号 must match (0 on a rejection of a payload the gateway did not read),
 * and the status and reason code must be the expected ones.
 * A DUPLICATE satisfies an expected ACCEPTED — it is the answer to a redelivery of an update the
 * server had already committed (SPEC §3: "a redelivered update gets the same result again").
 */
import { ResultStatus, type UpdateResult } from '../../../proto/src/types.ts'

/** What the event says the server must answer (the generator's Expectation). */
export interface Expectation {
  readonly status: ResultStatus
  readonly reasonCode?: string
}

/** One CS's figures. */
export interface CsStats {
  /** Updates published (redeliveries by mqtt.js after a reconnect not counted again). */
  sent: number
  /** PUBACKs received. */
  acked: number
  /** Results received for an update this CS sent. */
  results: number
  accepted: number
  duplicate: number
  /** REJECTED results by reason code. */
  rejected: Record<string, number>
  /** Results that contradict their event's expectation or sequence. */
  mismatches: number
  /** Results for no update in flight (a second answer to a redelivery, or garbage). */
  unmatched: number
  /** Updates still without a result when the run ended. */
  missing: number
  reconnects: number
  /** Publishes mqtt.js failed after a cut redelivery, published again. */
  republished: number
  /** Transport or CONNACK errors seen. */
  errors: number
  /** 1 when this CS gave up: refused at CONNACK, or never connected in time. */
  failed: number
}

/** A mismatch, for the report: no payload, only what identifies it. */
export interface Mismatch {
  readonly municipalityCode: string
  readonly sequence: number
  readonly expected: string
  readonly got: string
}

export interface SimStats {
  readonly municipalities: Record<string, CsStats>
  /** The first mismatches (at most {@link MAX_SAMPLES}). */
  readonly mismatches: Mismatch[]
}

export const MAX_SAMPLES = 100

export function emptyCsStats (): CsStats {
  return { sent: 0, acked: 0, results: 0, accepted: 0, duplicate: 0, rejected: {}, mismatches: 0, unmatched: 0, missing: 0, reconnects: 0, republished: 0, errors: 0, failed: 0 }
}

/** The sum over every municipality. */
export function totals (stats: SimStats): CsStats {
  const sum = emptyCsStats()
  for (const s of Object.values(stats.municipalities)) {
    for (const k of ['sent', 'acked', 'results', 'accepted', 'duplicate', 'mismatches', 'unmatched', 'missing', 'reconnects', 'errors', 'failed'] as const) sum[k] += s[k]
    for (const [reason, n] of Object.entries(s.rejected)) sum.rejected[reason] = (sum.rejected[reason] ?? 0) + n
  }
  return sum
}

const NAMES: Readonly<Record<number, string>> = { 0: 'UNSPECIFIED', 1: 'ACCEPTED', 2: 'DUPLICATE', 3: 'REJECTED' }

/** `REJECTED KEN_REJECT_BAD_DATE`, `ACCEPTED`. */
export function describe (status: ResultStatus, reasonCode = ''): string {
  return reasonCode === '' ? NAMES[status] ?? String(status) : `${NAMES[status] ?? String(status)} ${reasonCode}`
}

/**
 * Count `result`, answering the update sent with `sequence` and `expect`; returns the mismatch, if any.
 */
export function record (s: CsStats, code: string, result: UpdateResult, sequence: number, expect: Expectation | undefined): Mismatch | undefined {
  s.results++
  if (result.status === ResultStatus.ACCEPTED) s.accepted++
  else if (result.status === ResultStatus.DUPLICATE) s.duplicate++
  else s.rejected[result.reasonCode] = (s.rejected[result.reasonCode] ?? 0) + 1
  const got = describe(result.status, result.reasonCode)
  // Sequence 0 on a rejection: the gateway refused the payload before reading it (e.g. oversized).
  const unread = result.status === ResultStatus.REJECTED && result.sequence === 0
  if (result.sequence !== sequence && !unread) return mismatch(s, code, sequence, `sequence ${sequence}`, `sequence ${result.sequence}`)
  if (expect === undefined) return undefined
  const redelivered = result.status === ResultStatus.DUPLICATE && expect.status === ResultStatus.ACCEPTED
  if (redelivered) return undefined
  if (result.status !== expect.status || (expect.reasonCode !== undefined && result.reasonCode !== expect.reasonCode)) {
    return mismatch(s, code, sequence, describe(expect.status, expect.reasonCode), got)
  }
  return undefined
}

function mismatch (s: CsStats, municipalityCode: string, sequence: number, expected: string, got: string): Mismatch {
  s.mismatches++
  return { municipalityCode, sequence, expected, got }
}
