/**
 * Two-factor login (SPEC §6, A1): the store issues a one-time challenge; the operator key signs it
 * (possession — the key-file adapter, a card reader or a palm-vein device in front) and the PIN is
 * checked against the account's scrypt hash (knowledge). Both are checked before anything else is
 * told, so a wrong factor, an unknown account and a bad signature look the same from outside; the
 * log entry records which it was. N failures in a row lock the account until an administrator
 * unlocks it. A locked session is re-opened the same way (both factors again).
 */
import { createPublicKey, verify } from 'node:crypto'
import type { LoginFinish, TerminalResponse } from '../../../../proto/src/types.ts'
import type { Account } from './account-book.ts'
import { cardOf, recordAct, refusal, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { isExpired } from './fiscal.ts'
import { verifyPin } from './pin-hash.ts'
import { loginSignedData, type Session } from './sessions.ts'
import { sessionInfo } from './session-info.ts'

export function loginBegin (ctx: TerminalContext, accountId: string): Partial<TerminalResponse> {
  return { challenge: { challenge: ctx.sessions.challenge(accountId, ctx.clock().getTime()) } }
}

/** Why a login failed, for the log only (the caller is told KEN_ERR_TERM_LOGIN_FAILED). */
type Failure = 'challenge' | 'account' | 'signature' | 'pin'

export async function loginFinish (ctx: TerminalContext, terminalId: string, req: LoginFinish, locked: Session | undefined): Promise<Partial<TerminalResponse>> {
  const now = ctx.clock()
  const kind = locked === undefined ? 'terminal.login' : 'terminal.unlock'
  const account = ctx.accounts.get(req.accountId)
  const base = { kind, actor: account?.id ?? 'unknown-account', role: account?.role ?? '', terminal: terminalId, note: `adapter=${req.adapter.slice(0, 32)}${account === undefined ? '' : ` card=${cardOf(account)}`}` }
  // A locked-out account does not get its factors checked at all: guessing ends at N failures.
  if (account?.lockedOut === true) {
    return refusal(errors.KEN_ERR_TERM_ACCOUNT_LOCKED, 'accountId', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_ACCOUNT_LOCKED.code }))
  }
  const failure = await checkFactors(ctx, req, account, now)
  if (failure !== undefined || account === undefined) {
    let reasonCode: string = errors.KEN_ERR_TERM_LOGIN_FAILED.code
    if (account !== undefined) {
      account.failures += 1
      if (account.failures >= ctx.options.maxFailures) {
        account.lockedOut = true
        reasonCode = errors.KEN_ERR_TERM_ACCOUNT_LOCKED.code
        ctx.sessions.endAccount(account.id)
      }
    }
    const position = await recordAct(ctx, { ...base, refused: true, reasonCode, note: `${base.note} failed=${failure ?? 'account'}`, count: account?.failures ?? 0 })
    if (account !== undefined) await ctx.accounts.save()
    return refusal(reasonCode === errors.KEN_ERR_TERM_ACCOUNT_LOCKED.code ? errors.KEN_ERR_TERM_ACCOUNT_LOCKED : errors.KEN_ERR_TERM_LOGIN_FAILED, 'credentials', position)
  }
  if (account.status !== 'active') {
    return refusal(errors.KEN_ERR_TERM_ACCOUNT_INACTIVE, 'accountId', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_ACCOUNT_INACTIVE.code }))
  }
  // A1.11: a registration stops working after 30 April of the next fiscal year, whatever else holds.
  if (isExpired(account.expires, now)) {
    return refusal(errors.KEN_ERR_TERM_ACCOUNT_EXPIRED, 'accountId', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_ACCOUNT_EXPIRED.code }))
  }
  if (locked !== undefined && locked.accountId !== account.id) {
    return refusal(errors.KEN_ERR_TERM_LOGIN_FAILED, 'accountId', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_LOGIN_FAILED.code, note: `${base.note} other-account` }))
  }
  if (account.failures !== 0) {
    account.failures = 0
    await ctx.accounts.save()
  }
  const session = locked ?? ctx.sessions.start(account.id, terminalId, now.getTime())
  const position = await recordAct(ctx, { ...base })
  session.locked = false
  session.lastSeen = now.getTime()
  return { logPosition: position, session: sessionInfo(ctx, account, session, true) }
}

async function checkFactors (ctx: TerminalContext, req: LoginFinish, account: Account | undefined, now: Date): Promise<Failure | undefined> {
  if (!ctx.sessions.takeChallenge(req.challenge, req.accountId, now.getTime())) return 'challenge'
  if (account === undefined) return 'account'
  let signatureOk = false
  try {
    const key = createPublicKey({ key: Buffer.from(account.spki, 'base64'), format: 'der', type: 'spki' })
    signatureOk = verify('sha256', loginSignedData(req.challenge), key, req.signature)
  } catch {
    signatureOk = false
  }
  // The PIN is checked even after a bad signature, so that both paths cost the same.
  const pinOk = await verifyPin(req.pin, account.pinHash)
  if (!signatureOk) return 'signature'
  return pinOk ? undefined : 'pin'
}
