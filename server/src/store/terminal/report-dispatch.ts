/**
 * The terminal socket's ops of issue 14 items 3–5 (terminal_reports.proto), for service.ts: which
 * capability each needs (roles.ts), the act kind a guard refusal is recorded under, and the handler.
 */
import type { TerminalRequest, TerminalResponse } from '../../../../proto/src/types.ts'
import { approveBulk, runBulk } from './bulk-ops.ts'
import type { Actor, TerminalContext } from './context.ts'
import { review, reviewSample } from './review-ops.ts'
import type { ReportCapability } from './roles.ts'
import type { AnomalyRules } from '../../terminal/review/anomalies.ts'
import { statistics, type MonthlyMismatches } from './statistics-ops.ts'

export type ReportOp = 'bulkApprove' | 'bulkRun' | 'statistics' | 'review' | 'reviewSample'

export const REPORT_OP_CAPABILITY: Readonly<Record<ReportOp, ReportCapability>> = { bulkApprove: 'bulk-approve', bulkRun: 'bulk-run', statistics: 'statistics', review: 'review', reviewSample: 'review' }
export const REPORT_OP_KIND: Readonly<Record<ReportOp, string>> = {
  bulkApprove: 'terminal.bulk.approve', bulkRun: 'terminal.bulk.run', statistics: 'terminal.statistics', review: 'terminal.review.query', reviewSample: 'terminal.review.sample'
}

export function reportOpOf (req: TerminalRequest): ReportOp | undefined {
  return req.bulkApprove != null ? 'bulkApprove' : req.bulkRun != null ? 'bulkRun' : req.statistics != null ? 'statistics' : req.review != null ? 'review' : req.reviewSample != null ? 'reviewSample' : undefined
}

/** The answer of a report op, or undefined when the request holds none. */
/** What the report ops take from the service's set-up besides the context. */
export interface ReportDeps {
  readonly mismatches?: MonthlyMismatches | undefined
  readonly reviewRules?: AnomalyRules | undefined
}

export async function reportOp (ctx: TerminalContext, actor: Actor, req: TerminalRequest, deps: ReportDeps): Promise<Partial<TerminalResponse> | undefined> {
  if (req.bulkApprove != null) return await approveBulk(ctx, actor, req.bulkApprove)
  if (req.bulkRun != null) return await runBulk(ctx, actor, req.bulkRun)
  if (req.statistics != null) return await statistics(ctx, actor, req.statistics, deps.mismatches)
  if (req.review != null) return await review(ctx, actor, req.review, deps.reviewRules)
  if (req.reviewSample != null) return await reviewSample(ctx, actor, req.reviewSample)
  return undefined
}
