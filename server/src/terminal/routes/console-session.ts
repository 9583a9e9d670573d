/**
 * The console's session screens: login with both factors (the key-file adapter signs the store's
 * challenge with the key file and PIN the operator presents), the locked screen and re-authentication,
 * lock, logout, the home redirect by role, and the language switch.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { SessionAction, type SessionInfo } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { words } from '../console/i18n.ts'
import { httpStatus } from '../http-errors.ts'
import { clearSessionCookie, LANG_COOKIE, langOf, setSessionCookie, tokenOf, type Lang } from '../request-context.ts'

interface LoginForm { accountId: string, pin: string, certificate: string, key: string }
const LOGIN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['accountId', 'pin', 'certificate', 'key'],
  properties: { accountId: { type: 'string', maxLength: 16 }, pin: { type: 'string', maxLength: 64 }, certificate: { type: 'string', maxLength: 16384 }, key: { type: 'string', maxLength: 16384 } }
} as const
const ERROR_QUERY = { type: 'object', additionalProperties: false, properties: { e: { type: 'string', maxLength: 48, pattern: '^[A-Z_]*$' } } } as const

function loginForm (lang: Lang, action: string, accountId: string): string {
  const w = words(lang)
  return `<p class="help">${h(w.loginHelp)}</p>
<form class="grid" method="post" action="${action}" enctype="multipart/form-data">
<label for="accountId">${h(w.accountId)}</label><input id="accountId" name="accountId" required maxlength="16" autocomplete="username" value="${h(accountId)}"${accountId === '' ? ' autofocus' : ''}>
<label for="certificate">${h(w.certificateFile)}</label><input id="certificate" name="certificate" type="file" required accept=".crt,.pem">
<label for="key">${h(w.keyFile)}</label><input id="key" name="key" type="file" required accept=".key,.pem">
<label for="pin">${h(w.pin)}</label><input id="pin" name="pin" type="password" required maxlength="64" autocomplete="current-password"${accountId === '' ? '' : ' autofocus'}>
<div class="full"><button class="primary" type="submit" id="login-submit">${h(w.login)}</button></div>
</form>`
}

/** Where each role starts. */
function homeOf (who: SessionInfo): string {
  if (who.role === 'operator') return '/search'
  if (['system-admin', 'branch-admin', 'security-officer', 'auditor'].includes(who.role)) return '/admin/accounts'
  return '/home'
}

export async function consoleSessionRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  app.get<{ Querystring: { e?: string } }>('/login', { schema: { querystring: ERROR_QUERY } }, async (req, reply) => {
    return await reply.type('text/html; charset=utf-8').send(page({ lang: langOf(req), title: 'login', body: loginForm(langOf(req), '/login', ''), error: req.query.e }))
  })

  /** Both factors through the adapter, then the store's verdict. */
  const authenticate = async (req: FastifyRequest<{ Body: LoginForm }>, reply: FastifyReply, session: Uint8Array, action: string): Promise<FastifyReply> => {
    const lang = langOf(req)
    const b = req.body
    const fail = async (code: string): Promise<FastifyReply> =>
      await reply.code(httpStatus(code)).type('text/html; charset=utf-8').send(page({ lang, title: action === '/login' ? 'login' : 'locked', body: loginForm(lang, action, b.accountId), error: code }))
    const begin = await deps.link.ask({ session: new Uint8Array(0), loginBegin: { accountId: b.accountId } })
    let signature: Uint8Array
    try {
      signature = await deps.adapter.signChallenge(begin.challenge?.challenge ?? new Uint8Array(0), { certificatePem: b.certificate, keyPem: b.key, pin: b.pin })
    } catch (err) {
      // A key file the PIN does not open still counts as a failed login in the store (empty signature).
      req.log.info({ event: 'terminal.login.adapter_failed', code: isKenError(err) ? err.code : 'unknown' }, 'possession adapter refused')
      signature = new Uint8Array(0)
    }
    const r = await deps.link.ask({ session, loginFinish: { accountId: b.accountId, challenge: begin.challenge?.challenge ?? new Uint8Array(0), signature, pin: b.pin, adapter: deps.adapter.name } })
    if (r.errorCode !== '' || r.session == null) return await fail(r.errorCode === '' ? 'KEN_ERR_TERM_LOGIN_FAILED' : r.errorCode)
    if (session.length === 0) setSessionCookie(reply, r.session.session)
    return await reply.redirect(homeOf(r.session), 303)
  }

  app.post<{ Body: LoginForm }>('/login', { schema: { body: LOGIN_SCHEMA } }, async (req, reply) => await authenticate(req, reply, new Uint8Array(0), '/login'))
  app.post<{ Body: LoginForm }>('/unlock', { schema: { body: LOGIN_SCHEMA }, config: { auth: 'console', allowLocked: true } }, async (req, reply) => await authenticate(req, reply, req.kenToken ?? new Uint8Array(0), '/unlock'))

  app.get('/locked', { config: { auth: 'console', allowLocked: true } }, async (req, reply) => {
    const lang = langOf(req)
    const w = words(lang)
    const who = req.kenWho
    return await reply.type('text/html; charset=utf-8').send(page({ lang, title: 'locked', body: `<p id="locked">${h(w.lockedHelp)}</p>${loginForm(lang, '/unlock', who?.accountId ?? '')}` }))
  })

  app.post('/lock', { config: { auth: 'console', allowLocked: true } }, async (req, reply) => {
    await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), sessionOp: { action: SessionAction.LOCK } })
    return await reply.redirect('/locked', 303)
  })

  app.post('/logout', async (req, reply) => {
    const token = tokenOf(req)
    if (token !== undefined) await deps.link.ask({ session: token, sessionOp: { action: SessionAction.LOGOUT } })
    clearSessionCookie(reply)
    const lang = langOf(req)
    return await reply.type('text/html; charset=utf-8').send(page({ lang, title: 'login', notice: words(lang).loggedOut, body: loginForm(lang, '/login', '') }))
  })

  app.get('/', async (req, reply) => {
    const token = tokenOf(req)
    const who = token === undefined ? undefined : await deps.link.ask({ session: token, sessionOp: { action: SessionAction.WHOAMI } })
    if (who?.session == null || who.errorCode !== '') return await reply.redirect('/login', 303)
    return await reply.redirect(who.session.locked ? '/locked' : homeOf(who.session), 303)
  })

  app.get<{ Querystring: { e?: string } }>('/home', { schema: { querystring: ERROR_QUERY }, config: { auth: 'console' } }, async (req, reply) => {
    const lang = langOf(req)
    return await reply.type('text/html; charset=utf-8').send(page({ lang, title: 'home', who: req.kenWho, error: req.query.e, body: `<p id="no-resident-role">${h(words(lang).noResidentRole)}</p>` }))
  })

  app.get<{ Params: { lang: 'ja' | 'en' } }>('/lang/:lang', { schema: { params: { type: 'object', additionalProperties: false, required: ['lang'], properties: { lang: { type: 'string', enum: ['ja', 'en'] } } } } }, async (req, reply) => {
    void reply.header('set-cookie', `${LANG_COOKIE}=${req.params.lang}; Path=/; Secure; SameSite=Strict`)
    return await reply.redirect('/', 303)
  })
}
