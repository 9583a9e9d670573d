/** The accounts resource of the JSON API (administrators, ken-term): list, change, the purposes registry. */
import type { FastifyInstance } from 'fastify'
import { AccountAction, AccountListing } from '../../../../proto/src/types.ts'
import { fromPemAll } from '../../../../certs/src/der.ts'
import type { RouteDeps } from '../app.ts'
import { answer, POSITION_RESPONSE, S } from './answer.ts'

export const ACTIONS: Readonly<Record<string, AccountAction>> = {
  register: AccountAction.REGISTER, approve: AccountAction.APPROVE, revoke: AccountAction.REVOKE, delete: AccountAction.DELETE, unlock: AccountAction.UNLOCK, reported: AccountAction.REPORTED, renew: AccountAction.RENEW
}
export interface AccountBody { action: string, accountId: string, role?: string, department?: string, branch?: string, purposes?: string[], pin?: string, certificatePem?: string, reason?: string }

export const ACCOUNT_BODY = S.strict({
  action: { type: 'string', enum: Object.keys(ACTIONS) }, accountId: S.id, role: S.text(32), department: S.code, branch: S.code,
  purposes: { type: 'array', maxItems: 32, items: S.code }, pin: S.text(64), certificatePem: S.text(8192), reason: S.text(64)
}, ['action', 'accountId'])

export function accountChange (b: AccountBody): Parameters<RouteDeps['link']['ask']>[0]['account'] {
  const [certificate] = b.certificatePem === undefined || b.certificatePem === '' ? [] : fromPemAll(b.certificatePem, 'CERTIFICATE')
  return {
    action: ACTIONS[b.action] ?? AccountAction.UNSPECIFIED, accountId: b.accountId, role: b.role ?? '', department: b.department ?? '', branch: b.branch ?? '',
    purposes: b.purposes ?? [], pin: b.pin ?? '', certificate: certificate ?? new Uint8Array(0), reason: b.reason ?? ''
  }
}

export async function apiAccountRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get<{ Querystring: { listing?: 'all' | 'unreported' } }>('/api/accounts', {
    schema: { querystring: S.strict({ listing: { type: 'string', enum: ['all', 'unreported'] } }, []) },
    config: { auth: 'api' }
  }, async (req, reply) => {
    const listing = req.query.listing === 'unreported' ? AccountListing.UNREPORTED : AccountListing.ALL
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), accounts: { listing } })
    return await answer(reply, r, (x) => ({ accounts: x.accounts?.accounts ?? [], logPosition: x.logPosition }))
  })

  app.post<{ Body: AccountBody }>('/api/accounts', { schema: { body: ACCOUNT_BODY, response: POSITION_RESPONSE }, config: { auth: 'api' } }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), account: accountChange(req.body) })
    return await answer(reply, r, (x) => ({ logPosition: x.logPosition }))
  })

  app.get('/api/purposes', { config: { auth: 'api' } }, async (req, reply) => {
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), accounts: { listing: AccountListing.PURPOSES } })
    return await answer(reply, r, (x) => ({ purposes: x.purposes?.purposes ?? [] }))
  })
}
