/**
 * What the session hook (app.ts) attaches to a request: the operator's session token — from the
 * console's cookie or the API's bearer header — and what the store says the session is.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SessionInfo } from '../../../proto/src/types.ts'

export const SESSION_COOKIE = 'ken_session'
export const LANG_COOKIE = 'ken_lang'

export type Lang = 'ja' | 'en'

/** Route config: `auth` says the route needs a session and whether it answers JSON or HTML. */
export interface RouteAuth {
  readonly auth?: 'api' | 'console'
  /** A locked session may reach this route (whoami, logout, the unlock screen). */
  readonly allowLocked?: boolean
  /** Screens shown only to these roles (the store still checks and records every op). */
  readonly roles?: readonly string[]
}

declare module 'fastify' {
  interface FastifyRequest {
    kenToken: Buffer | undefined
    kenWho: SessionInfo | undefined
  }
  interface FastifyContextConfig extends RouteAuth {}
}

export function cookie (req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie
  if (header === undefined) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

/** The session token of a request: `Authorization: Bearer` (API, ken-term) or the cookie (console). */
export function tokenOf (req: FastifyRequest): Buffer | undefined {
  const auth = req.headers.authorization
  const raw = auth?.startsWith('Bearer ') === true ? auth.slice(7) : cookie(req, SESSION_COOKIE)
  if (raw === undefined || !/^[A-Za-z0-9_-]{43}$/.test(raw)) return undefined
  return Buffer.from(raw, 'base64url')
}

export function langOf (req: FastifyRequest): Lang {
  return cookie(req, LANG_COOKIE) === 'en' ? 'en' : 'ja'
}

/** The console's session cookie: HttpOnly, Secure, SameSite=Strict (no cross-site form posts). */
export function setSessionCookie (reply: FastifyReply, token: Uint8Array): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=${Buffer.from(token).toString('base64url')}; Path=/; HttpOnly; Secure; SameSite=Strict`)
}

export function clearSessionCookie (reply: FastifyReply): void {
  void reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`)
}
