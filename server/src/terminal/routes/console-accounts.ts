/**
 * The console's account administration (A1.7–A1.12): the list of the accounts the administrator
 * manages with approve/revoke/delete/unlock buttons, the registration form, and the changes of
 * 拠点管理者 not reported after 14 days. The store decides and records every change and every listing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AccountListing, type AccountInfo } from '../../../../proto/src/types.ts'
import type { RouteDeps } from '../app.ts'
import { h, page } from '../console/html.ts'
import { words, type Word } from '../console/i18n.ts'
import { httpStatus } from '../http-errors.ts'
import { langOf, type Lang } from '../request-context.ts'
import { accountChange, ACTIONS, type AccountBody } from './api-accounts.ts'
import { ROLES } from '../../store/terminal/roles.ts'

const ADMIN_ROLES = ['system-admin', 'branch-admin', 'security-officer', 'auditor']
const FORM = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'accountId'],
  properties: {
    action: { type: 'string', enum: Object.keys(ACTIONS) }, accountId: { type: 'string', maxLength: 16 }, role: { type: 'string', maxLength: 32 }, department: { type: 'string', maxLength: 32 },
    branch: { type: 'string', maxLength: 32 }, purposes: { anyOf: [{ type: 'string', maxLength: 32 }, { type: 'array', maxItems: 32, items: { type: 'string', maxLength: 32 } }] },
    pin: { type: 'string', maxLength: 64 }, certificatePem: { type: 'string', maxLength: 8192 }, reason: { type: 'string', maxLength: 64 }
  }
} as const
type Form = Omit<AccountBody, 'purposes'> & { purposes?: string | string[] }

function table (lang: Lang, accounts: readonly AccountInfo[], id: string, buttons: boolean): string {
  const w = words(lang)
  const cols: Word[] = ['accountId', 'role', 'department', 'branch', 'purposes', 'status', 'expires', 'registeredBy', 'approvedBy', 'failures']
  const button = (a: AccountInfo, action: keyof typeof ACTIONS & Word): string =>
    `<form class="inline" method="post" action="/admin/accounts"><input type="hidden" name="action" value="${action}"><input type="hidden" name="accountId" value="${h(a.accountId)}"><button type="submit" id="${action}-${h(a.accountId)}">${h(w[action])}</button></form>`
  const rows = accounts.map((a) => `<tr><td>${h(a.accountId)}</td><td>${h(w[`role_${a.role}` as Word] ?? a.role)}</td><td>${h(a.department)}</td><td>${h(a.branch)}</td><td>${h(a.purposes.join(', '))}</td>
<td>${h(a.status)}${a.lockedOut ? ' 🔒' : ''}</td><td>${h(a.expires)}</td><td>${h(a.registeredBy)}</td><td>${h(a.approvedBy)}</td><td>${a.failures}</td>
<td>${buttons ? [a.status === 'pending' ? button(a, 'approve') : '', a.lockedOut ? button(a, 'unlock') : '', a.status === 'active' ? button(a, 'renew') : '', a.status === 'active' ? button(a, 'revoke') : '', a.status !== 'deleted' ? button(a, 'delete') : '', a.reported ? '' : button(a, 'reported')].join(' ') : ''}</td></tr>`).join('\n')
  return `<table id="${id}"><thead><tr>${cols.map((c) => `<th scope="col">${h(w[c])}</th>`).join('')}<th>${h(w.actions)}</th></tr></thead><tbody>${rows}</tbody></table>`
}

function registerForm (lang: Lang): string {
  const w = words(lang)
  return `<h2>${h(w.register)}</h2>
<form class="grid" method="post" action="/admin/accounts" id="register-form">
<input type="hidden" name="action" value="register">
<label for="accountId">${h(w.accountId)}</label><input id="accountId" name="accountId" required maxlength="16" pattern="[A-Z][A-Z0-9]{1,15}">
<label for="role">${h(w.role)}</label><select id="role" name="role">${ROLES.map((r) => `<option value="${r}">${h(w[`role_${r}` as Word])}</option>`).join('')}</select>
<label for="department">${h(w.department)}</label><input id="department" name="department" required maxlength="32">
<label for="branch">${h(w.branch)}</label><input id="branch" name="branch" required maxlength="32">
<label for="purposes">${h(w.purposes)}</label><input id="purposes" name="purposes" maxlength="32">
<label for="pin">${h(w.pin)}</label><input id="pin" name="pin" type="password" required maxlength="64" autocomplete="new-password">
<label for="certificatePem">${h(w.certificatePem)}</label><textarea id="certificatePem" name="certificatePem" required></textarea>
<label for="reason">${h(w.reason)}</label><input id="reason" name="reason" maxlength="64">
<div class="full"><button class="primary" type="submit">${h(w.doRegister)}</button></div>
</form>`
}

export async function consoleAccountRoutes (app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const render = async (req: FastifyRequest, reply: FastifyReply, status: number, error: string | undefined, notice: string | undefined): Promise<FastifyReply> => {
    const lang = langOf(req)
    const w = words(lang)
    const session = req.kenToken ?? new Uint8Array(0)
    const all = await deps.link.ask({ session, accounts: { listing: AccountListing.ALL } })
    const manages = req.kenWho?.role === 'system-admin' || req.kenWho?.role === 'branch-admin'
    let body = table(lang, all.accounts?.accounts ?? [], 'accounts', manages)
    if (req.kenWho?.role === 'system-admin' || req.kenWho?.role === 'security-officer') {
      const unreported = await deps.link.ask({ session, accounts: { listing: AccountListing.UNREPORTED } })
      body += `<h2>${h(w.unreported)}</h2>${table(lang, unreported.accounts?.accounts ?? [], 'unreported', false)}`
    }
    if (manages) body += registerForm(lang)
    return await reply.code(status).type('text/html; charset=utf-8').send(page({ lang, title: 'accounts', who: req.kenWho, error: error ?? (all.errorCode === '' ? undefined : all.errorCode), notice, body }))
  }

  app.get('/admin/accounts', { config: { auth: 'console', roles: ADMIN_ROLES } }, async (req, reply) => await render(req, reply, 200, undefined, undefined))

  app.post<{ Body: Form }>('/admin/accounts', { schema: { body: FORM }, config: { auth: 'console' } }, async (req, reply) => {
    const b = req.body
    const purposes = b.purposes === undefined ? [] : (Array.isArray(b.purposes) ? b.purposes : b.purposes.split(/[\s,]+/)).filter((p) => p !== '')
    const r = await deps.link.ask({ session: req.kenToken ?? new Uint8Array(0), account: accountChange({ ...b, purposes }) })
    if (r.errorCode !== '') return await render(req, reply, httpStatus(r.errorCode), r.errorCode, undefined)
    return await render(req, reply, 200, undefined, `${words(langOf(req)).changed} ${r.logPosition}`)
  })
}
