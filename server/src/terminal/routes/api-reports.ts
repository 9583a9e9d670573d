/**
 * The JSON API of issue 14 items 3–5: bulk provision (approve, run with the uploaded conditions CSV →
 * the age-encrypted result file), monthly statistics (JSON, CSV, PDF) and the operation-history
 * review (filtered rows, the yearly sample as JSON or CSV). The store checks role, approval and purpose
 * and records every request, refused or not; the routes only parse and shape.
 */
import type { FastifyInstance, FastifyReply } from 'fastify'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { Sex, type BulkConditionRow, type ReviewResult, type StatisticsReport, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { readBulkConditions } from '../bulk/conditions.ts'
import { writeCsv } from '../bulk/csv.ts'
import { httpStatus } from '../http-errors.ts'
import { statisticsCsvRows } from '../stats/statistics-tables.ts'
import { renderStatisticsPdf } from '../stats/statistics-pdf.ts'
import { answer, S } from './answer.ts'

const SYSTEM_NAME = '都道府県サーバ（住民基本台帳ネットワークシステム）'

/** The issuer in the printed statistics report's header: the prefecture the store serves (its StatisticsReport says which). */
export function reportIssuer (report: StatisticsReport): string {
  return report.prefectureName === '' ? SYSTEM_NAME : `${report.prefectureName} ${SYSTEM_NAME}`
}
const MAX_CONDITIONS = 1000
const MONTH = { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' } as const
const DATE = { type: 'string', pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$' } as const
const REF = { type: 'string', pattern: '^[A-Za-z0-9_/-]{0,32}$' } as const
const FILTER = { type: 'string', pattern: '^[A-Za-z0-9._-]{0,64}$' } as const

export interface ReviewFilters { actor?: string, terminal?: string, from?: string, to?: string, kind?: string, purpose?: string, flagged?: 'on' | 'true' | '' }
export const REVIEW_QUERYSTRING = S.strict({ actor: FILTER, terminal: FILTER, from: DATE, to: DATE, kind: FILTER, purpose: FILTER, flagged: { type: 'string', enum: ['on', 'true', ''] } }, [])

export function reviewQuery (q: ReviewFilters): { actor: string, terminal: string, from: string, to: string, kind: string, purpose: string, flaggedOnly: boolean } {
  return { actor: q.actor ?? '', terminal: q.terminal ?? '', from: q.from ?? '', to: q.to ?? '', kind: q.kind ?? '', purpose: q.purpose ?? '', flaggedOnly: q.flagged === 'on' || q.flagged === 'true' }
}

/** The conditions CSV as the store's rows. @throws KEN_ERR_FORM_INPUT naming the row and column */
export function conditionRows (csv: string): BulkConditionRow[] {
  return readBulkConditions(csv, MAX_CONDITIONS).map((c) => ({ ...c, sex: c.sex === 'male' ? Sex.MALE : c.sex === 'female' ? Sex.FEMALE : Sex.UNSPECIFIED }))
}

/** A refusal as `{ code, field, logPosition }` (the store's), or the file/JSON the caller sends. */
async function refusedOr (reply: FastifyReply, r: TerminalResponse, send: (r: TerminalResponse) => Promise<FastifyReply>): Promise<FastifyReply> {
  if (r.errorCode !== '') return await reply.code(httpStatus(r.errorCode)).send({ code: r.errorCode, field: r.errorField, logPosition: r.logPosition })
  return await send(r)
}

export function reviewJson (r: ReviewResult | null | undefined, logPosition: number): Record<string, unknown> {
  return { logPosition, truncated: r?.truncated ?? false, seed: r?.seed ?? '', population: r?.population ?? 0, rows: r?.rows ?? [] }
}

export function reviewCsv (r: ReviewResult): string {
  return writeCsv([
    ['記録番号', '日時', '操作', '説明', '操作者', '役割', '端末', '利用事務', '拒否', '理由', '件数', '備考', '注意'],
    ...r.rows.map((x) => [String(x.position), x.at, x.kind, x.title, x.actor, x.role, x.terminal, x.purpose, x.refused ? '拒否' : '', x.reasonCode, String(x.count), x.note, x.flags.join(' ')])
  ])
}

export async function statisticsOf (deps: RouteDeps, session: Uint8Array, month: string, reason: string): Promise<TerminalResponse> {
  return await deps.link.ask({ session, statistics: { month, reason } })
}

export async function apiReportRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const session = (token: Buffer | undefined): Uint8Array => token ?? new Uint8Array(0)

  app.post<{ Body: { requester: string, recipient: string, recipientKey: string, purpose: string, expectedCount: number, expires: string, reason?: string } }>('/api/bulk/approvals', {
    schema: {
      body: S.strict({ requester: S.id, recipient: S.code, recipientKey: { type: 'string', pattern: '^age1[02-9ac-hj-np-z]{58}$' }, purpose: S.code, expectedCount: { type: 'integer', minimum: 1, maximum: MAX_CONDITIONS }, expires: DATE, reason: REF }, ['requester', 'recipient', 'recipientKey', 'purpose', 'expectedCount', 'expires']),
      response: { 200: { type: 'object', additionalProperties: false, properties: { approvalId: { type: 'integer' }, logPosition: { type: 'integer' } } } }
    },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const b = req.body
    const r = await deps.link.ask({ session: session(req.kenToken), bulkApprove: { requester: b.requester, recipient: b.recipient, recipientKey: b.recipientKey, purpose: b.purpose, expectedCount: b.expectedCount, expires: b.expires, reason: b.reason ?? '' } })
    return await answer(reply, r, (x) => ({ approvalId: x.logPosition, logPosition: x.logPosition }))
  })

  // The result leaves only encrypted (A5.6 proposal: always encrypt): the body is the age file.
  app.post<{ Body: { approvalId: number, purpose: string, medium: string, csv: string } }>('/api/bulk/run', {
    schema: { body: S.strict({ approvalId: { type: 'integer', minimum: 1 }, purpose: S.code, medium: S.text(16), csv: S.text(60_000) }, ['approvalId', 'purpose', 'medium', 'csv']) },
    config: { auth: 'api' }
  }, async (req, reply) => {
    let conditions: BulkConditionRow[]
    try {
      conditions = conditionRows(req.body.csv)
    } catch (err) {
      // The message names the row and column only, never a value (conditions.ts).
      if (isKenError(err)) return await reply.code(400).send({ code: err.code, field: 'csv', detail: err.message })
      throw err
    }
    const r = await deps.link.ask({ session: session(req.kenToken), bulkRun: { approvalId: req.body.approvalId, purpose: req.body.purpose, medium: req.body.medium, conditions } })
    return await refusedOr(reply, r, async (x) => {
      const out = x.bulk
      return await reply.code(200).type('application/octet-stream')
        .header('content-disposition', `attachment; filename="bulk-${out?.approvalId ?? 0}.csv.age"`)
        .header('x-ken-sha256', out?.sha256 ?? '').header('x-ken-records', String(out?.records ?? 0)).header('x-ken-rows', String(out?.rows ?? 0)).header('x-ken-log-position', String(x.logPosition))
        .send(Buffer.from(out?.file ?? new Uint8Array(0)))
    })
  })

  app.get<{ Querystring: { month: string, reason?: string } }>('/api/statistics', {
    schema: { querystring: S.strict({ month: MONTH, reason: REF }, ['month']) },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await statisticsOf(deps, session(req.kenToken), req.query.month, req.query.reason ?? '')
    return await answer(reply, r, (x) => ({ logPosition: x.logPosition, ...x.statistics }))
  })

  app.get<{ Querystring: { month: string, reason?: string } }>('/api/statistics.csv', {
    schema: { querystring: S.strict({ month: MONTH, reason: REF }, ['month']) },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await statisticsOf(deps, session(req.kenToken), req.query.month, req.query.reason ?? '')
    return await refusedOr(reply, r, async (x) => await reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="statistics-${req.query.month}.csv"`)
      .send(writeCsv(statisticsCsvRows(x.statistics as StatisticsReport))))
  })

  app.get<{ Querystring: { month: string, reason?: string } }>('/api/statistics.pdf', {
    schema: { querystring: S.strict({ month: MONTH, reason: REF }, ['month']) },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await statisticsOf(deps, session(req.kenToken), req.query.month, req.query.reason ?? '')
    return await refusedOr(reply, r, async (x) => {
      const report = x.statistics as StatisticsReport
      return await reply.type('application/pdf').header('content-disposition', `attachment; filename="statistics-${req.query.month}.pdf"`)
        .send(await renderStatisticsPdf(report, reportIssuer(report)))
    })
  })

  app.get<{ Querystring: ReviewFilters }>('/api/review', {
    schema: { querystring: REVIEW_QUERYSTRING },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: session(req.kenToken), review: reviewQuery(req.query) })
    return await answer(reply, r, (x) => reviewJson(x.review, x.logPosition))
  })

  app.get<{ Querystring: { fiscalYear: string, size: string, seed?: string, upTo?: string, format?: 'json' | 'csv' } }>('/api/review/sample', {
    schema: { querystring: S.strict({ fiscalYear: { type: 'string', pattern: '^[0-9]{4}$' }, size: { type: 'string', pattern: '^[0-9]{1,4}$' }, seed: { type: 'string', pattern: '^([0-9a-f]{32})?$' }, upTo: { type: 'string', pattern: '^[0-9]{0,15}$' }, format: { type: 'string', enum: ['json', 'csv'] } }, ['fiscalYear', 'size']) },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const q = req.query
    const r = await deps.link.ask({ session: session(req.kenToken), reviewSample: { fiscalYear: Number(q.fiscalYear), size: Number(q.size), seed: q.seed ?? '', upTo: Number(q.upTo ?? 0) } })
    if (q.format !== 'csv') return await answer(reply, r, (x) => reviewJson(x.review, x.logPosition))
    return await refusedOr(reply, r, async (x) => await reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="review-sample-${q.fiscalYear}-${x.review?.seed ?? ''}.csv"`)
      .send(reviewCsv(x.review ?? { rows: [], truncated: false, seed: '', population: 0 })))
  })
}


