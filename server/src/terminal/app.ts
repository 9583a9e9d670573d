/**
 * ken-terminal's HTTPS application (SPEC §6): fastify with TLS 1.3 only, one plugin per resource
 * (routes/), a JSON schema on every route with Ajv refusing unknown properties, the session check as
 * a hook that runs before any handler, and errors mapped once (http-errors.ts). It holds no session
 * state and reads nothing itself: every op goes to the store over the terminal socket.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import type { Server } from 'node:https'
import { SessionAction } from '../../../proto/src/types.ts'
import { TLS_POLICY } from '../../../certs/src/tls-policy.ts'
import { httpStatus } from './http-errors.ts'
import { KEY_FILE_ADAPTER, type PossessionAdapter } from './auth/possession.ts'
import { clearSessionCookie, tokenOf } from './request-context.ts'
import type { StoreLink } from './store-client.ts'
import { apiSessionRoutes } from './routes/api-session.ts'
import { apiResidentRoutes } from './routes/api-residents.ts'
import { apiAccountRoutes } from './routes/api-accounts.ts'
import { consoleSessionRoutes } from './routes/console-session.ts'
import { consoleResidentRoutes } from './routes/console-residents.ts'
import { consoleAccountRoutes } from './routes/console-accounts.ts'
import { staticRoutes } from './routes/static.ts'
import { apiDeletionRoutes } from './routes/api-deletion.ts'
import { consoleDeletionRoutes } from './routes/console-deletion.ts'
import { apiDisclosureRoutes } from './routes/api-disclosure.ts'
import { consoleDisclosureRoutes } from './routes/console-disclosure.ts'
import { consoleCorrectionRoutes } from './routes/console-corrections.ts'
import { apiReportRoutes } from './routes/api-reports.ts'
import { consoleReportRoutes } from './routes/console-reports.ts'

export interface TerminalAppDeps {
  readonly link: StoreLink
  readonly tls: { readonly key: string | Buffer, readonly cert: string | Buffer }
  readonly logger: FastifyBaseLogger
  readonly adapter?: PossessionAdapter
}

/** What the route plugins share. */
export interface RouteDeps {
  readonly link: StoreLink
  readonly adapter: PossessionAdapter
}

/**
 * TLS of the HTTPS listener: TLS 1.3 and the groups X25519, P-256, P-384 only (certs/src/tls-policy.ts,
 * issue 16) — also what a rotated secure context is built with (maint/terminal-maint.ts).
 */
export const TERMINAL_TLS = TLS_POLICY

/**
 * A strict Content-Security-Policy: nothing inline, nothing from elsewhere (STYLE.md "The console").
 * connect-src 'self': print.js records a print at /api/print before printing (A8.3).
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

export async function buildTerminalApp (deps: TerminalAppDeps): Promise<FastifyInstance<Server>> {
  const app = Fastify({
    https: { key: deps.tls.key, cert: deps.tls.cert, ...TERMINAL_TLS },
    loggerInstance: deps.logger,
    // Request lines would carry paths and addresses; the terminal logs its own events instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } }
  })
  app.decorateRequest('kenToken', undefined)
  app.decorateRequest('kenWho', undefined)
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  // The login form's key and certificate files arrive as text fields, so the route's schema checks them.
  await app.register(multipart, {
    limits: { fileSize: 16 * 1024, files: 2, fields: 8, parts: 10 },
    attachFieldsToBody: 'keyValues',
    onFile: async (part) => { (part as unknown as { value: string }).value = (await part.toBuffer()).toString('utf8') }
  })

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('content-security-policy', CSP)
    void reply.header('x-content-type-options', 'nosniff')
    void reply.header('referrer-policy', 'no-referrer')
    void reply.header('x-frame-options', 'DENY')
    void reply.header('strict-transport-security', 'max-age=31536000')
    // Pages may hold personal data: nothing is cached, so Back after logout shows nothing.
    if (reply.getHeader('cache-control') === undefined) void reply.header('cache-control', 'no-store')
    return payload
  })

  // The session hook: no handler of a route with `auth` runs without a live session.
  app.addHook('preHandler', async (req, reply) => {
    const config = req.routeOptions.config
    if (config.auth === undefined) return
    const token = tokenOf(req)
    const who = token === undefined ? undefined : await deps.link.ask({ session: token, sessionOp: { action: SessionAction.WHOAMI } })
    const code = who === undefined ? 'KEN_ERR_TERM_NO_SESSION' : who.errorCode
    const locked = who?.session?.locked === true && config.allowLocked !== true
    if (code !== '' || who?.session == null) {
      if (config.auth === 'api') return await reply.code(httpStatus(code)).send({ code, field: 'session' })
      clearSessionCookie(reply)
      return await reply.redirect(`/login?e=${code}`, 303)
    }
    if (locked) {
      if (config.auth === 'api') return await reply.code(423).send({ code: 'KEN_ERR_TERM_SESSION_LOCKED', field: 'session' })
      return await reply.redirect('/locked', 303)
    }
    req.kenToken = token
    req.kenWho = who.session
    if (config.roles !== undefined && !config.roles.includes(who.session.role)) {
      if (config.auth === 'api') return await reply.code(403).send({ code: 'KEN_ERR_TERM_ROLE_FORBIDDEN', field: 'role' })
      return await reply.redirect('/home?e=KEN_ERR_TERM_ROLE_FORBIDDEN', 303)
    }
  })

  app.setErrorHandler(async (err, req, reply) => {
    const validation = (err as { validation?: unknown }).validation !== undefined
    const code = validation ? 'KEN_ERR_TERM_BAD_REQUEST' : typeof (err as { code?: unknown }).code === 'string' && String((err as { code: string }).code).startsWith('KEN_ERR_TERM_') ? (err as { code: string }).code : 'KEN_ERR_TERM_UNAVAILABLE'
    const status = validation ? 400 : httpStatus(code)
    if (!validation) req.log.warn({ event: 'terminal.request.failed', code }, 'request failed')
    return await reply.code(status).send({ code, field: validation ? 'body' : '' })
  })

  const routeDeps: RouteDeps = { link: deps.link, adapter: deps.adapter ?? KEY_FILE_ADAPTER }
  await app.register(staticRoutes)
  await app.register(apiSessionRoutes, routeDeps)
  await app.register(apiResidentRoutes, routeDeps)
  await app.register(apiAccountRoutes, routeDeps)
  await app.register(consoleSessionRoutes, routeDeps)
  await app.register(consoleResidentRoutes, routeDeps)
  await app.register(consoleAccountRoutes, routeDeps)
  await app.register(apiDeletionRoutes, routeDeps)
  await app.register(consoleDeletionRoutes, routeDeps)
  await app.register(apiDisclosureRoutes, routeDeps)
  await app.register(consoleDisclosureRoutes, routeDeps)
  await app.register(consoleCorrectionRoutes, routeDeps)
  await app.register(apiReportRoutes, routeDeps)
  await app.register(consoleReportRoutes, routeDeps)
  return app
}
