/**
 * The disclosure and correction resources of the JSON API (住基法30条の32, 30条の35; SPEC §6): one
 * request, one act in the store's log. A paper disclosure also carries its A4 PDF (base64), printed
 * here from the store's answer — the store has recorded the medium before the form exists.
 */
import type { FastifyInstance } from 'fastify'
import { CorrectionStepKind, DisclosureMedium, type CorrectionCaseInfo, type CorrectionStep, type DisclosureAnswer, type DisclosureRequest, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { DOCUMENT_CODES, itemMap, type DocumentCode } from '../forms/disclosure-form.ts'
import { renderDisclosureFor } from '../forms/disclosure-render.ts'
import { answer, S } from './answer.ts'

export interface DisclosureBody { purpose: string, ref: string, document: DocumentCode, documentReference: string, medium: 'screen' | 'paper' }
export const DISCLOSURE_BODY = S.strict({
  purpose: S.code, ref: S.text(32), document: { type: 'string', enum: Object.keys(DOCUMENT_CODES) }, documentReference: S.text(32), medium: { type: 'string', enum: ['screen', 'paper'] }
}, ['purpose', 'ref', 'document', 'documentReference', 'medium'])

export const STEP_KINDS = { receive: CorrectionStepKind.RECEIVE, investigate: CorrectionStepKind.INVESTIGATE, refer: CorrectionStepKind.REFER, updated: CorrectionStepKind.UPDATED, close: CorrectionStepKind.CLOSE } as const
export interface StepBody { purpose: string, kind: keyof typeof STEP_KINDS, caseId?: string, ref?: string, municipalityCode?: string, position?: number, corrected?: boolean, text?: string, reference?: string }
const STEP_BODY = S.strict({
  purpose: S.code, kind: { type: 'string', enum: Object.keys(STEP_KINDS) }, caseId: { type: 'string', pattern: '^([0-9a-f]{32})?$' }, ref: S.text(32), municipalityCode: { type: 'string', pattern: '^([0-9]{6})?$' },
  position: { type: 'integer', minimum: 0 }, corrected: { type: 'boolean' }, text: S.text(2000), reference: S.text(32)
}, ['purpose', 'kind'])

const CASE = {
  type: 'object',
  additionalProperties: false,
  properties: {
    caseId: { type: 'string' }, state: { type: 'string' }, receivedAt: { type: 'string' }, daysOpen: { type: 'integer' }, municipalityCode: { type: 'string' }, fixedAt: { type: 'integer' }, outcome: { type: 'string' },
    steps: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string' }, at: { type: 'string' }, by: { type: 'string' }, logPosition: { type: 'integer' } } } }
  }
} as const
const PROVISION = {
  type: 'object',
  additionalProperties: false,
  properties: { recordedAt: { type: 'string' }, kind: { type: 'string' }, recipient: { type: 'string' }, recipientName: { type: 'string' }, purpose: { type: 'string' }, purposeTitle: { type: 'string' }, items: { type: 'array', items: { type: 'string' } }, position: { type: 'integer' } }
} as const

/** The store's DisclosureRequest of a body. */
export function toDisclosureRequest (b: DisclosureBody): DisclosureRequest {
  return { purpose: b.purpose, ref: b.ref, document: DOCUMENT_CODES[b.document], documentReference: b.documentReference, medium: b.medium === 'paper' ? DisclosureMedium.PAPER : DisclosureMedium.SCREEN }
}

export function toStep (b: StepBody): CorrectionStep {
  return { purpose: b.purpose, kind: STEP_KINDS[b.kind], caseId: b.caseId ?? '', ref: b.ref ?? '', municipalityCode: b.municipalityCode ?? '', position: b.position ?? 0, corrected: b.corrected === true, text: b.text ?? '', reference: b.reference ?? '' }
}

function disclosureJson (d: DisclosureAnswer, logPosition: number, pdf: Buffer | undefined): Record<string, unknown> {
  return {
    logPosition, referenceNumber: d.referenceNumber, issuedOn: d.issuedOn, prefectureName: d.prefectureName, medium: d.medium === DisclosureMedium.PAPER ? 'paper' : 'screen',
    removed: d.removed, truncated: d.truncated, items: itemMap(d), provisions: d.provisions, ...(pdf === undefined ? {} : { pdf: pdf.toString('base64') })
  }
}

function casesJson (r: TerminalResponse): { logPosition: number, cases: CorrectionCaseInfo[] } {
  return { logPosition: r.logPosition, cases: r.corrections?.cases ?? [] }
}

export async function apiDisclosureRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.post<{ Body: DisclosureBody }>('/api/disclosure', {
    schema: {
      body: DISCLOSURE_BODY,
      response: {
        200: {
          type: 'object',
          additionalProperties: false,
          properties: {
            logPosition: { type: 'integer' }, referenceNumber: { type: 'string' }, issuedOn: { type: 'string' }, prefectureName: { type: 'string' }, medium: { type: 'string' }, removed: { type: 'boolean' },
            truncated: { type: 'boolean' }, items: { type: 'object', additionalProperties: { type: 'string' } }, provisions: { type: 'array', items: PROVISION }, pdf: { type: 'string' }
          }
        }
      }
    },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), disclosure: toDisclosureRequest(req.body) })
    const d = r.disclosure
    const pdf = r.errorCode === '' && d != null && d.medium === DisclosureMedium.PAPER ? await renderDisclosureFor(d, req.body.documentReference) : undefined
    return await answer(reply, r, (x) => x.disclosure == null ? {} : disclosureJson(x.disclosure, x.logPosition, pdf))
  })

  app.post<{ Body: StepBody }>('/api/corrections/step', {
    schema: { body: STEP_BODY, response: { 200: { type: 'object', additionalProperties: false, properties: { logPosition: { type: 'integer' }, case: CASE } } } },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), correction: toStep(req.body) })
    return await answer(reply, r, (x) => ({ logPosition: x.logPosition, case: x.corrections?.cases[0] }))
  })

  app.get<{ Querystring: { purpose: string, open?: 'true' | 'false', caseId?: string } }>('/api/corrections', {
    schema: {
      querystring: S.strict({ purpose: S.code, open: { type: 'string', enum: ['true', 'false'] }, caseId: { type: 'string', pattern: '^([0-9a-f]{32})?$' } }, ['purpose']),
      response: { 200: { type: 'object', additionalProperties: false, properties: { logPosition: { type: 'integer' }, cases: { type: 'array', items: CASE } } } }
    },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const q = req.query
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), corrections: { purpose: q.purpose, openOnly: q.open !== 'false', caseId: q.caseId ?? '' } })
    return await answer(reply, r, casesJson)
  })
}
