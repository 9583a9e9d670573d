/**
 * The session resource of the JSON API (ken-term, scripts): challenge, login with both factors
 * (the signature made where the key is), whoami, lock, unlock, logout.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SessionAction, type SessionInfo } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { answer, POSITION_RESPONSE, S } from './answer.ts'

const LOGIN_BODY = S.strict({ accountId: S.id, challenge: S.b64, signature: S.b64, pin: S.text(64), adapter: S.text(32) }, ['accountId', 'challenge', 'signature', 'pin'])
interface LoginBody { accountId: string, challenge: string, signature: string, pin: string, adapter?: string }

const SESSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    session: { type: 'string' }, accountId: { type: 'string' }, role: { type: 'string' }, department: { type: 'string' }, branch: { type: 'string' },
    purposes: { type: 'array', items: { type: 'string' } }, locked: { type: 'boolean' }, expires: { type: 'string' }, idleLockSeconds: { type: 'integer' }, hardcopy: { type: 'string' }, logPosition: { type: 'integer' }
  }
} as const

export function sessionJson (s: SessionInfo, logPosition = 0): Record<string, unknown> {
  return { ...(s.session.length > 0 ? { session: Buffer.from(s.session).toString('base64url') } : {}), accountId: s.accountId, role: s.role, department: s.department, branch: s.branch, purposes: s.purposes, locked: s.locked, expires: s.expires, idleLockSeconds: s.idleLockSeconds, hardcopy: s.hardcopy, logPosition }
}

export async function apiSessionRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.post<{ Body: { accountId: string } }>('/api/login/challenge', {
    schema: { body: S.strict({ accountId: S.id }, ['accountId']), response: { 200: S.strict({ challenge: { type: 'string' } }, ['challenge']) } }
  }, async (req, reply) => {
    const r = await deps.link.ask({ session: new Uint8Array(0), loginBegin: { accountId: req.body.accountId } })
    return await answer(reply, r, (x) => ({ challenge: Buffer.from(x.challenge?.challenge ?? []).toString('base64') }))
  })

  const finish = async (req: FastifyRequest<{ Body: LoginBody }>, reply: FastifyReply, session: Uint8Array): Promise<FastifyReply> => {
    const b = req.body
    const r = await deps.link.ask({ session, loginFinish: { accountId: b.accountId, challenge: Buffer.from(b.challenge, 'base64'), signature: Buffer.from(b.signature, 'base64'), pin: b.pin, adapter: b.adapter ?? 'key-file' } })
    return await answer(reply, r, (x) => sessionJson(x.session ?? emptySession(), x.logPosition))
  }
  app.post<{ Body: LoginBody }>('/api/login', { schema: { body: LOGIN_BODY, response: { 200: SESSION_SCHEMA } } }, async (req, reply) => await finish(req, reply, new Uint8Array(0)))
  app.post<{ Body: LoginBody }>('/api/unlock', { schema: { body: LOGIN_BODY, response: { 200: SESSION_SCHEMA } }, config: { auth: 'api', allowLocked: true } }, async (req, reply) => await finish(req, reply, req.kenToken ?? new Uint8Array(0)))

  app.get('/api/session', { schema: { response: { 200: SESSION_SCHEMA } }, config: { auth: 'api', allowLocked: true } }, async (req) => sessionJson(req.kenWho ?? emptySession()))
  for (const [path, action] of [['/api/lock', SessionAction.LOCK], ['/api/logout', SessionAction.LOGOUT]] as const) {
    app.post(path, { schema: { response: POSITION_RESPONSE }, config: { auth: 'api', allowLocked: true } }, async (req, reply) => {
      const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), sessionOp: { action } })
      return await answer(reply, r, (x) => ({ logPosition: x.logPosition }))
    })
  }
}

function emptySession (): SessionInfo {
  return { session: new Uint8Array(0), accountId: '', role: '', department: '', branch: '', purposes: [], locked: true, expires: '', idleLockSeconds: 0, hardcopy: 'prohibited' }
}
