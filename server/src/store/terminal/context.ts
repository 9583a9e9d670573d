/**
 * What every handler of the terminal capability shares: the store, the accounts, the sessions, the
 * registry, the clock, the national seam and the options — and the one way to record an act.
 */
import { createHash } from 'node:crypto'
import { DEFAULTS } from '../../../../firmware-config/src/defaults.ts'
import type { ActInput, Store } from '../store.ts'
import type { AccountBook, Account } from './account-book.ts'
import type { PurposeRegistry } from './purposes.ts'
import type { NationalQuery } from './national-query.ts'
import type { SessionTable, Session } from './sessions.ts'
import type { ScryptCost } from './pin-hash.ts'
import type { TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'

export interface TerminalOptions {
  /** A8.1: an idle session locks after this many seconds and hides every personal item. */
  readonly idleLockSeconds: number
  /** Consecutive login failures that lock the account (A1, SPEC §6). */
  readonly maxFailures: number
  /** A2.6: more hits than this answer "narrow the conditions" and show none. */
  readonly resultCap: number
  /** Index candidates read at most for one search before it is "too many". */
  readonly candidateCap: number
  /** A session ends after this many hours whatever its activity. */
  readonly sessionMaxHours: number
  /** A1.9: 拠点管理者 changes not reported after this many days are listed. */
  readonly unreportedDays: number
  readonly scryptCost: ScryptCost
  /** A8.3: whether a screen with 本人確認情報 may be printed (each print then an act). */
  readonly hardcopy: HardcopyPolicy
  /** The prefecture's name on the disclosure form (firmware-config prefecture.name). */
  readonly prefectureName: string
}

/** firmware-config terminal.hardcopy (HARDCOPY_POLICIES). */
export type HardcopyPolicy = 'prohibited' | 'print-with-record'

export const DEFAULT_OPTIONS: TerminalOptions = Object.freeze({
  idleLockSeconds: 300,
  maxFailures: 5,
  resultCap: 20,
  candidateCap: 1000,
  sessionMaxHours: 12,
  unreportedDays: 14,
  scryptCost: Object.freeze({ n: 1 << 15, r: 8, p: 1 }),
  // Section G 1: the stricter source (Fukuoka) is the default.
  hardcopy: 'prohibited',
  prefectureName: DEFAULTS.prefecture.name
})

export interface TerminalContext {
  readonly store: Store
  readonly accounts: AccountBook
  readonly sessions: SessionTable
  readonly registry: PurposeRegistry
  readonly national: NationalQuery
  readonly clock: () => Date
  readonly options: TerminalOptions
}

/** Who acts: the account and the terminal, for the act's clear fields. */
export interface Actor {
  readonly account: Account
  readonly session: Session
  readonly terminalId: string
}

/** Record one act (durable before it resolves) and return its log position. */
export async function recordAct (ctx: TerminalContext, input: ActInput): Promise<number> {
  return (await ctx.store.recordAct(input)).position
}

/**
 * The card (A1.2, A6.2: usage is reported per card): the operator key the account is bound to, as the
 * first 16 hex digits of the SHA-256 of its SubjectPublicKeyInfo — no personal data.
 */
export function cardOf (account: Account): string {
  return createHash('sha256').update(Buffer.from(account.spki, 'base64')).digest('hex').slice(0, 16)
}

/** The act fields every act of an actor carries. */
export function actorFields (actor: Actor): Pick<ActInput, 'actor' | 'role' | 'terminal'> {
  return { actor: actor.account.id, role: actor.account.role, terminal: actor.terminalId }
}

/** A sealed detail: the act's personal part as JSON (opened with Store#openActDetail). */
export function detail (value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

/** An answer that refuses with a code (after the refusal was recorded at `logPosition`). */
export function refusal (error: ErrorFactory, field: string, logPosition: number): Partial<TerminalResponse> {
  return { errorCode: error.code, errorField: field, logPosition }
}
