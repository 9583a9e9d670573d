/**
 * 物理削除 and print records in the JSON API (SPEC §2.5, A8.3): list and file/approve/reject the
 * deletion requests, and record a print. The store checks the roles and the second person and
 * records every attempt; this only shapes the requests.
 */
import type { FastifyInstance } from 'fastify'
import { DeletionAction, type DeletionOp, type DeletionRequestInfo } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { answer, POSITION_RESPONSE, S } from './answer.ts'

export const DELETION_ACTIONS: Readonly<Record<string, DeletionAction>> = { file: DeletionAction.FILE, approve: DeletionAction.APPROVE, reject: DeletionAction.REJECT }
export interface DeletionBody { action: string, requestId?: string, juminhyoCode?: string, reference?: string, reason?: string }

export const DELETION_BODY = S.strict({
  action: { type: 'string', enum: Object.keys(DELETION_ACTIONS) }, requestId: { type: 'string', maxLength: 16, pattern: '^(D-[0-9A-F]{8})?$' },
  juminhyoCode: { type: 'string', pattern: '^([0-9]{11})?$' }, reference: S.text(64), reason: S.text(64)
}, ['action'])

export function deletionOp (b: DeletionBody): DeletionOp {
  return { action: DELETION_ACTIONS[b.action] ?? DeletionAction.UNSPECIFIED, requestId: b.requestId ?? '', juminhyoCode: b.juminhyoCode ?? '', reference: b.reference ?? '', reason: b.reason ?? '' }
}

const REQUEST = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requestId: { type: 'string' }, reference: { type: 'string' }, requestedBy: { type: 'string' }, requestedAt: { type: 'string' }, status: { type: 'string' }, decidedBy: { type: 'string' },
    decidedAt: { type: 'string' }, requestPosition: { type: 'integer' }, erasurePosition: { type: 'integer' }, keys: { type: 'integer' }
  }
} as const
const LIST_RESPONSE = { 200: { type: 'object', additionalProperties: false, properties: { requests: { type: 'array', items: REQUEST }, logPosition: { type: 'integer' } } } } as const

function listJson (requests: readonly DeletionRequestInfo[] | undefined, logPosition: number): { requests: readonly DeletionRequestInfo[], logPosition: number } {
  return { requests: requests ?? [], logPosition }
}

export async function apiDeletionRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get('/api/deletions', { schema: { response: LIST_RESPONSE }, config: { auth: 'api' } }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), deletion: { ...deletionOp({ action: '' }), action: DeletionAction.LIST } })
    return await answer(reply, r, (x) => listJson(x.deletions?.requests, x.logPosition))
  })

  app.post<{ Body: DeletionBody }>('/api/deletions', { schema: { body: DELETION_BODY, response: LIST_RESPONSE }, config: { auth: 'api' } }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), deletion: deletionOp(req.body) })
    return await answer(reply, r, (x) => listJson(x.deletions?.requests, x.logPosition))
  })

  // A8.3: the print is an act before the browser prints (the console's print.js calls this, or /print).
  app.post<{ Body: { purpose: string, ref: string } }>('/api/print', {
    schema: { body: S.strict({ purpose: S.code, ref: S.text(32) }, ['purpose', 'ref']), response: POSITION_RESPONSE },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), print: { purpose: req.body.purpose, ref: req.body.ref } })
    return await answer(reply, r, (x) => ({ logPosition: x.logPosition }))
  })
}
