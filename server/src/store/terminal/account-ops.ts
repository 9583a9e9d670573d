/**
 * Account administration (SPEC §6, A1.7–A1.12): registration by a system administrator or by a
 * 拠点管理者 for their own branch, with the business purposes; approval by a second system
 * administrator; revocation, deletion and unlock recorded; changes a 拠点管理者 made and nobody
 * reported after 14 days listed. Every change and every listing is an act in the log.
 */
import { X509Certificate } from 'node:crypto'
import { AccountAction, AccountListing, type AccountChange, type AccountInfo, type AccountQuery, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { readCertificate } from '../../../../certs/src/certificate-facts.ts'
import { isOperatorId, parseOperatorUrn } from '../../../../certs/src/identity-names.ts'
import type { Account } from './account-book.ts'
import { actorFields, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { registrationExpiry } from './fiscal.ts'
import { hashPin, isAcceptablePin } from './pin-hash.ts'
import { findPurpose } from './purposes.ts'
import { CERTIFICATE_ROLE, isRole, may, type Role } from './roles.ts'

type Answer = Partial<TerminalResponse>

const ACTION_KINDS: Readonly<Record<number, string>> = {
  [AccountAction.REGISTER]: 'terminal.account.register',
  [AccountAction.APPROVE]: 'terminal.account.approve',
  [AccountAction.REVOKE]: 'terminal.account.revoke',
  [AccountAction.DELETE]: 'terminal.account.delete',
  [AccountAction.UNLOCK]: 'terminal.account.unlock',
  [AccountAction.REPORTED]: 'terminal.account.reported',
  [AccountAction.RENEW]: 'terminal.account.renew'
}

export async function changeAccount (ctx: TerminalContext, actor: Actor, q: AccountChange): Promise<Answer> {
  const kind = ACTION_KINDS[q.action] ?? 'terminal.account.register'
  const base = { kind, ...actorFields(actor), note: `account=${q.accountId.slice(0, 16)} ${q.reason.slice(0, 64)}`.trim() }
  const refuse = async (error: ErrorFactory, field: string): Promise<Answer> => refusal(error, field, await recordAct(ctx, { ...base, refused: true, reasonCode: error.code }))
  const me = actor.account
  if (ACTION_KINDS[q.action] === undefined) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'action')
  const approving = q.action === AccountAction.APPROVE || q.action === AccountAction.REPORTED
  if (!may(me.role, approving ? 'account-approve' : 'account-manage')) return await refuse(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, 'role')
  const now = ctx.clock()
  if (q.action === AccountAction.REGISTER) {
    const problem = await checkRegistration(ctx, me, q)
    if (problem !== undefined) return await refuse(problem.error, problem.field)
    const certificate = bindCertificate(q)
    if (certificate === undefined) return await refuse(errors.KEN_ERR_TERM_CERTIFICATE, 'certificate')
    const account: Account = {
      id: q.accountId,
      role: q.role as Role,
      department: q.department,
      branch: q.branch,
      purposes: [...q.purposes],
      status: 'pending',
      pinHash: await hashPin(q.pin, ctx.options.scryptCost),
      spki: certificate,
      registeredBy: me.id,
      registeredAt: now.toISOString(),
      approvedBy: '',
      expires: registrationExpiry(now),
      failures: 0,
      lockedOut: false,
      changedBy: me.id,
      changedByRole: me.role,
      changedAt: now.toISOString(),
      reported: me.role !== 'branch-admin'
    }
    const position = await recordAct(ctx, { ...base, purpose: q.purposes.join(',').slice(0, 256), note: `account=${q.accountId} role=${q.role} department=${q.department} branch=${q.branch} expires=${account.expires}` })
    await ctx.accounts.put(account)
    return { logPosition: position }
  }
  const target = ctx.accounts.get(q.accountId)
  if (target === undefined) return await refuse(errors.KEN_ERR_TERM_ACCOUNT_UNKNOWN, 'accountId')
  // A1.8: a 拠点管理者 manages only the users of their own branch.
  if (me.role === 'branch-admin' && target.branch !== me.branch) return await refuse(errors.KEN_ERR_TERM_OTHER_BRANCH, 'branch')
  if (q.action === AccountAction.APPROVE) {
    if (target.status !== 'pending') return await refuse(errors.KEN_ERR_TERM_ACCOUNT_STATE, 'status')
    // A1.12, SPEC §6: a registration needs a second administrator's approval.
    if (target.registeredBy === me.id) return await refuse(errors.KEN_ERR_TERM_SAME_ADMINISTRATOR, 'approver')
    target.status = 'active'
    target.approvedBy = me.id
  } else if (q.action === AccountAction.REVOKE || q.action === AccountAction.DELETE) {
    if (target.status === 'deleted' || target.id === me.id) return await refuse(errors.KEN_ERR_TERM_ACCOUNT_STATE, 'status')
    target.status = q.action === AccountAction.REVOKE ? 'revoked' : 'deleted'
    ctx.sessions.endAccount(target.id)
  } else if (q.action === AccountAction.UNLOCK) {
    target.lockedOut = false
    target.failures = 0
  } else if (q.action === AccountAction.REPORTED) {
    target.reported = true
  } else if (q.action === AccountAction.RENEW) {
    // H1: renewal moves the expiry to 30 April of the next fiscal year, counted from today — never later.
    if (target.status !== 'active') return await refuse(errors.KEN_ERR_TERM_ACCOUNT_STATE, 'status')
    target.expires = registrationExpiry(now)
  }
  if (q.action !== AccountAction.REPORTED) {
    target.changedBy = me.id
    target.changedByRole = me.role
    target.changedAt = now.toISOString()
    target.reported = me.role !== 'branch-admin'
  }
  const position = await recordAct(ctx, { ...base, ...(q.action === AccountAction.APPROVE ? { approver: me.id } : {}) })
  await ctx.accounts.put(target)
  return { logPosition: position }
}

async function checkRegistration (ctx: TerminalContext, me: Account, q: AccountChange): Promise<{ error: ErrorFactory, field: string } | undefined> {
  if (!isOperatorId(q.accountId)) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'accountId' }
  if (ctx.accounts.get(q.accountId) !== undefined) return { error: errors.KEN_ERR_TERM_ACCOUNT_EXISTS, field: 'accountId' }
  if (!isRole(q.role)) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'role' }
  const department = ctx.registry.departments.find((d) => d.code === q.department)
  if (department === undefined || department.branch !== q.branch) return { error: errors.KEN_ERR_TERM_BAD_REQUEST, field: 'department' }
  if (me.role === 'branch-admin') {
    if (q.branch !== me.branch) return { error: errors.KEN_ERR_TERM_OTHER_BRANCH, field: 'branch' }
    // A 拠点管理者 registers the users of the branch, never administrators.
    if (q.role !== 'operator') return { error: errors.KEN_ERR_TERM_ROLE_FORBIDDEN, field: 'role' }
  }
  for (const code of q.purposes) {
    const purpose = findPurpose(ctx.registry, code)
    if (purpose === undefined || !purpose.departments.includes(q.department)) return { error: errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, field: 'purposes' }
  }
  if (q.role === 'operator' && q.purposes.length === 0) return { error: errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, field: 'purposes' }
  if (!isAcceptablePin(q.pin)) return { error: errors.KEN_ERR_TERM_WEAK_PIN, field: 'pin' }
  return undefined
}

/**
 * The account is bound to the public key of an operator certificate issued for its id and a role
 * that fits the account's (roles.ts CERTIFICATE_ROLE): the possession factor. Returns the SPKI (base64).
 */
export function bindCertificate (q: { readonly accountId: string, readonly role: string, readonly certificate: Uint8Array }): string | undefined {
  try {
    const facts = readCertificate(q.certificate)
    const urn = facts.altNames.uri.map((u) => parseOperatorUrn(u)).find((u) => u !== undefined)
    if (urn === undefined || urn.id !== q.accountId || !isRole(q.role) || urn.role !== CERTIFICATE_ROLE[q.role]) return undefined
    return new X509Certificate(q.certificate).publicKey.export({ type: 'spki', format: 'der' }).toString('base64')
  } catch {
    return undefined
  }
}

export async function listAccounts (ctx: TerminalContext, actor: Actor, q: AccountQuery): Promise<Answer> {
  const me = actor.account
  const kind = 'terminal.account.list'
  if (q.listing === AccountListing.PURPOSES) {
    return {
      purposes: {
        purposes: ctx.registry.purposes.map((p) => {
          const recipients = ctx.registry.recipients.filter((r) => r.purposes.includes(p.code))
          return { code: p.code, title: p.title, basis: p.basis, items: [...p.items], departments: [...p.departments], recipients: recipients.map((r) => r.code), recipientNames: recipients.map((r) => r.name) }
        })
      }
    }
  }
  const capability = q.listing === AccountListing.UNREPORTED ? 'unreported-read' : 'account-read'
  if (!may(me.role, capability) || (q.listing !== AccountListing.ALL && q.listing !== AccountListing.UNREPORTED)) {
    return refusal(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, 'listing', await recordAct(ctx, { kind, ...actorFields(actor), refused: true, reasonCode: errors.KEN_ERR_TERM_ROLE_FORBIDDEN.code }))
  }
  const now = ctx.clock().getTime()
  const limit = ctx.options.unreportedDays * 86_400_000
  let accounts = ctx.accounts.all()
  if (me.role === 'branch-admin') accounts = accounts.filter((a) => a.branch === me.branch)
  // A1.9: what a 拠点管理者 changed and nobody reported within 14 days.
  if (q.listing === AccountListing.UNREPORTED) accounts = accounts.filter((a) => !a.reported && a.changedByRole === 'branch-admin' && now - Date.parse(a.changedAt) > limit)
  const position = await recordAct(ctx, { kind, ...actorFields(actor), count: accounts.length, note: q.listing === AccountListing.UNREPORTED ? 'unreported' : 'all' })
  return { logPosition: position, accounts: { accounts: accounts.map(accountInfo) } }
}

function accountInfo (a: Account): AccountInfo {
  return {
    accountId: a.id,
    role: a.role,
    department: a.department,
    branch: a.branch,
    purposes: [...a.purposes],
    status: a.status,
    registeredBy: a.registeredBy,
    approvedBy: a.approvedBy,
    registeredAt: a.registeredAt,
    expires: a.expires,
    reported: a.reported,
    failures: a.failures,
    lockedOut: a.lockedOut
  }
}
