/**
 * The terminal capability of the store (SPEC §1.1, §6): every request on the terminal socket comes
 * here. A request other than the two login steps is answered only after the session guard — a live
 * session of an active, unexpired account, not idle-locked, whose role may do the op — and every
 * refusal of the guard is itself an act in the log. The handlers then check the purpose and the
 * search rules, record the act, and only then answer.
 */
import { SessionAction, type TerminalRequest, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { Store, StoreLogger } from '../store.ts'
import { AccountBook, type Account, type AccountPersistence } from './account-book.ts'
import { bindCertificate, changeAccount, listAccounts } from './account-ops.ts'
import { DEFAULT_OPTIONS, recordAct, refusal, type Actor, type TerminalContext, type TerminalOptions } from './context.ts'
import { errors } from './errors.ts'
import { isExpired, registrationExpiry } from './fiscal.ts'
import { loginBegin, loginFinish } from './login.ts'
import { NO_NATIONAL_LINK, type NationalQuery } from './national-query.ts'
import { hashPin, isAcceptablePin } from './pin-hash.ts'
import { DEFAULT_REGISTRY, type PurposeRegistry } from './purposes.ts'
import { isRole, may, type Capability, type Role } from './roles.ts'
import { provide, search, view } from './resident-ops.ts'
import { DeletionDesk } from './deletion-desk.ts'
import { deletionOp } from './deletion-ops.ts'
import { printRecord } from './print-ops.ts'
import { disclose } from './disclosure-ops.ts'
import { correctionActKind, correctionStep, listCorrections } from './correction-ops.ts'
import { SessionTable, type Session } from './sessions.ts'
import { sessionInfo } from './session-info.ts'
import { REPORT_OP_CAPABILITY, REPORT_OP_KIND, reportOp, reportOpOf, type ReportDeps, type ReportOp } from './report-dispatch.ts'
import type { MonthlyMismatches } from './statistics-ops.ts'
import type { AnomalyRules } from '../../terminal/review/anomalies.ts'

type Answer = Partial<TerminalResponse>

export interface TerminalServiceDeps {
  readonly store: Store
  readonly accounts: AccountPersistence
  readonly registry?: PurposeRegistry
  /** The national link's query (issue 12); absent: searches say the national server is unavailable. */
  readonly national?: NationalQuery
  readonly clock?: () => Date
  readonly options?: Partial<TerminalOptions>
  readonly logger?: StoreLogger
  /** The reconciliation's monthly mismatch list for the statistics (absent: no such table). */
  readonly mismatches?: MonthlyMismatches
  /** The review's anomaly rules (review-rules.ts); absent: anomalies.ts DEFAULT_RULES. */
  readonly reviewRules?: AnomalyRules
}

/** An account created at set-up, before any administrator exists (A1: the bootstrap path). */
export interface BootstrapAccount {
  readonly accountId: string
  readonly role: string
  readonly department: string
  readonly branch: string
  readonly purposes: readonly string[]
  readonly pin: string
  /** The operator certificate, DER. */
  readonly certificate: Uint8Array
}

/** The op of a request, by name (for the log and the role table). */
type Op = 'session' | 'search' | 'view' | 'provide' | 'account' | 'accounts' | 'deletion' | 'print' | 'disclosure' | 'correction' | 'corrections' | ReportOp

const OP_CAPABILITY: Readonly<Partial<Record<Op, Capability>>> = { search: 'resident', view: 'resident', provide: 'resident', print: 'resident', disclosure: 'resident', correction: 'resident', corrections: 'resident', ...REPORT_OP_CAPABILITY }
const OP_KIND: Readonly<Record<Op, string>> = {
  session: 'terminal.refused', search: 'terminal.search', view: 'terminal.view', provide: 'terminal.provide', account: 'terminal.account.register', accounts: 'terminal.account.list',
  deletion: 'terminal.deletion.request', print: 'terminal.print',
  disclosure: 'disclosure.give', correction: 'correction.receive', corrections: 'correction.list',
  ...REPORT_OP_KIND
}

export class TerminalService {
  readonly #ctx: TerminalContext
  readonly #logger: StoreLogger | undefined
  /** 物理削除 requests awaiting their second person (memory only: no 住民票コード on disk). */
  readonly #deletions = new DeletionDesk()
  readonly #reports: ReportDeps
  /** Logins and account changes one at a time: failure counts and the account file stay consistent. */
  #serial: Promise<unknown> = Promise.resolve()

  constructor (deps: TerminalServiceDeps) {
    this.#ctx = {
      store: deps.store,
      accounts: new AccountBook(deps.accounts),
      sessions: new SessionTable(),
      registry: deps.registry ?? DEFAULT_REGISTRY,
      national: deps.national ?? NO_NATIONAL_LINK,
      clock: deps.clock ?? (() => new Date()),
      options: { ...DEFAULT_OPTIONS, ...deps.options }
    }
    this.#logger = deps.logger
    this.#reports = { mismatches: deps.mismatches, reviewRules: deps.reviewRules }
  }

  async open (): Promise<void> {
    await this.#ctx.accounts.load()
  }

  get accountCount (): number {
    return this.#ctx.accounts.size
  }

  /**
   * Set-up (A1): create the first administrator(s) directly, active, when no account exists yet —
   * each recorded as terminal.account.bootstrap. Does nothing once any account exists.
   * @returns how many accounts were created
   */
  async bootstrap (entries: readonly BootstrapAccount[]): Promise<number> {
    return await this.#serially(async () => {
      if (this.#ctx.accounts.size > 0) return 0
      const now = this.#ctx.clock()
      for (const e of entries) {
        const spki = bindCertificate(e)
        if (!isRole(e.role) || spki === undefined) throw errors.KEN_ERR_TERM_CERTIFICATE(`bootstrap account ${e.accountId}`, { field: 'certificate' })
        if (!isAcceptablePin(e.pin)) throw errors.KEN_ERR_TERM_WEAK_PIN(`bootstrap account ${e.accountId}`, { field: 'pin' })
        const account: Account = {
          id: e.accountId, role: e.role as Role, department: e.department, branch: e.branch, purposes: [...e.purposes], status: 'active',
          pinHash: await hashPin(e.pin, this.#ctx.options.scryptCost), spki, registeredBy: 'bootstrap', registeredAt: now.toISOString(), approvedBy: 'bootstrap',
          expires: registrationExpiry(now), failures: 0, lockedOut: false, changedBy: 'bootstrap', changedByRole: 'bootstrap', changedAt: now.toISOString(), reported: true
        }
        await recordAct(this.#ctx, { kind: 'terminal.account.bootstrap', actor: 'setup', note: `account=${e.accountId} role=${e.role} department=${e.department} branch=${e.branch}` })
        await this.#ctx.accounts.put(account)
      }
      return entries.length
    })
  }

  /** Answer one request of the terminal socket. Never throws: failures become an error code. */
  async handle (req: TerminalRequest): Promise<TerminalResponse> {
    const base: TerminalResponse = { requestId: req.requestId, errorCode: '', errorField: '', logPosition: 0 }
    try {
      return { ...base, ...await this.#dispatch(req) }
    } catch (err) {
      const code = isKenError(err) ? err.code : errors.KEN_ERR_TERM_UNAVAILABLE.code
      this.#logger?.error({ event: 'store.terminal.failed', code }, 'terminal request failed')
      return { ...base, errorCode: code.startsWith('KEN_ERR_TERM_') ? code : errors.KEN_ERR_TERM_UNAVAILABLE.code }
    }
  }

  async #dispatch (req: TerminalRequest): Promise<Answer> {
    const ctx = this.#ctx
    const terminalId = req.terminalId.slice(0, 64)
    if (req.loginBegin != null) return loginBegin(ctx, req.loginBegin.accountId)
    if (req.loginFinish != null) {
      const finish = req.loginFinish
      const locked = req.session.length > 0 ? ctx.sessions.find(req.session) : undefined
      if (req.session.length > 0 && locked === undefined) return await this.#noSession(terminalId, 'unlock')
      return await this.#serially(async () => await loginFinish(ctx, terminalId, finish, locked))
    }
    const op: Op | undefined = req.sessionOp != null ? 'session' : req.search != null ? 'search' : req.view != null ? 'view' : req.provide != null ? 'provide' : req.account != null ? 'account' : req.accounts != null ? 'accounts' : req.deletion != null ? 'deletion' : req.print != null ? 'print' : req.disclosure != null ? 'disclosure' : req.correction != null ? 'correction' : req.corrections != null ? 'corrections' : reportOpOf(req)
    if (op === undefined) return { errorCode: errors.KEN_ERR_TERM_BAD_REQUEST.code, errorField: 'op' }
    const guarded = await this.#guard(req, terminalId, op)
    if ('refused' in guarded) return guarded.refused
    const actor = guarded.actor
    if (req.sessionOp != null) return await this.#sessionOp(actor, req.sessionOp.action)
    if (req.search != null) return await search(ctx, actor, req.search)
    if (req.view != null) return await view(ctx, actor, req.view)
    if (req.provide != null) return await provide(ctx, actor, req.provide)
    if (req.print != null) return await printRecord(ctx, actor, req.print)
    const deletion = req.deletion
    if (deletion != null) return await this.#serially(async () => await deletionOp(ctx, this.#deletions, actor, deletion))
    if (req.disclosure != null) return await disclose(ctx, actor, req.disclosure)
    if (req.correction != null) return await correctionStep(ctx, actor, req.correction)
    if (req.corrections != null) return await listCorrections(ctx, actor, req.corrections)
    const report = await reportOp(ctx, actor, req, this.#reports)
    if (report !== undefined) return report
    const change = req.account
    if (change != null) return await this.#serially(async () => await changeAccount(ctx, actor, change))
    const listing = req.accounts
    return listing != null ? await listAccounts(ctx, actor, listing) : { errorCode: errors.KEN_ERR_TERM_BAD_REQUEST.code }
  }

  /** The session guard: nothing about any resident is answered without it. */
  async #guard (req: TerminalRequest, terminalId: string, op: Op): Promise<{ actor: Actor } | { refused: Answer }> {
    const ctx = this.#ctx
    const session = ctx.sessions.find(req.session)
    if (session === undefined) return { refused: await this.#noSession(terminalId, op) }
    const now = ctx.clock().getTime()
    const account = ctx.accounts.get(session.accountId)
    const actor: Actor | undefined = account === undefined ? undefined : { account, session, terminalId }
    const refuse = async (error: ErrorFactory, end: boolean): Promise<{ refused: Answer }> => {
      if (end) ctx.sessions.end(session)
      return { refused: refusal(error, 'session', await recordAct(ctx, { kind: req.correction != null ? correctionActKind(req.correction) : OP_KIND[op], actor: session.accountId, role: account?.role ?? '', terminal: terminalId, refused: true, reasonCode: error.code })) }
    }
    if (account === undefined || actor === undefined || account.status !== 'active' || account.lockedOut) return await refuse(errors.KEN_ERR_TERM_ACCOUNT_INACTIVE, true)
    if (isExpired(account.expires, new Date(now))) return await refuse(errors.KEN_ERR_TERM_ACCOUNT_EXPIRED, true)
    if (now - session.startedAt > ctx.options.sessionMaxHours * 3_600_000) return await refuse(errors.KEN_ERR_TERM_NO_SESSION, true)
    const action = req.sessionOp?.action
    const harmless = action === SessionAction.WHOAMI || action === SessionAction.LOGOUT || action === SessionAction.LOCK
    // A8.1: an idle session locks itself; from then on it shows nothing until both factors again.
    if (!session.locked && now - session.lastSeen > ctx.options.idleLockSeconds * 1000) {
      session.locked = true
      await recordAct(ctx, { kind: 'terminal.lock', actor: account.id, role: account.role, terminal: terminalId, note: 'idle' })
    }
    if (session.locked && !harmless) return await refuse(errors.KEN_ERR_TERM_SESSION_LOCKED, false)
    const capability = OP_CAPABILITY[op]
    if (capability !== undefined && !may(account.role, capability)) return await refuse(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, false)
    if (action !== SessionAction.WHOAMI) session.lastSeen = now
    return { actor }
  }

  async #noSession (terminalId: string, op: string): Promise<Answer> {
    const position = await recordAct(this.#ctx, { kind: 'terminal.refused', actor: 'no-session', terminal: terminalId, refused: true, reasonCode: errors.KEN_ERR_TERM_NO_SESSION.code, note: `op=${op}` })
    return refusal(errors.KEN_ERR_TERM_NO_SESSION, 'session', position)
  }

  async #sessionOp (actor: Actor, action: number): Promise<Answer> {
    const ctx = this.#ctx
    const fields = { actor: actor.account.id, role: actor.account.role, terminal: actor.terminalId }
    if (action === SessionAction.WHOAMI) return { session: sessionInfo(ctx, actor.account, actor.session, false) }
    if (action === SessionAction.LOCK) {
      if (actor.session.locked) return { session: sessionInfo(ctx, actor.account, actor.session, false) }
      actor.session.locked = true
      const position = await recordAct(ctx, { kind: 'terminal.lock', ...fields, note: 'manual' })
      return { logPosition: position, session: sessionInfo(ctx, actor.account, actor.session, false) }
    }
    if (action === SessionAction.LOGOUT) {
      ctx.sessions.end(actor.session)
      return { logPosition: await recordAct(ctx, { kind: 'terminal.logout', ...fields }) }
    }
    return { errorCode: errors.KEN_ERR_TERM_BAD_REQUEST.code, errorField: 'action' }
  }

  async #serially<T> (fn: () => Promise<T>): Promise<T> {
    const run = this.#serial.then(fn, fn)
    this.#serial = run.catch(() => undefined)
    return await run
  }
}

export type { Session }
