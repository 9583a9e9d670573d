/**
 * Operator sessions and login challenges, held by the store in memory: a store restart ends every
 * session (operators log in again), which is the safe side of SPEC §6. Every start, lock, unlock and
 * end of a session is an act in the log, so the history survives what the table does not.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { NationalPerson } from './national-query.ts'

export interface SessionRef {
  readonly juminhyoCode: string
  readonly purpose: string
  /** A person the national server answered with (not in the prefecture's file). */
  readonly national?: NationalPerson
}

export interface Session {
  readonly token: Buffer
  readonly accountId: string
  readonly terminalId: string
  readonly startedAt: number
  lastSeen: number
  locked: boolean
  /** The hits of this session's searches: opaque ref → 住民票コード and the purpose it was found for. */
  readonly refs: Map<string, SessionRef>
}

interface Challenge {
  readonly accountId: string
  readonly issuedAt: number
}

/** Refs a session keeps (the oldest go first): a clerk's day of searches, not a copy of the file. */
const MAX_REFS = 2000
const CHALLENGE_TTL_MS = 120_000
const MAX_CHALLENGES = 10_000

export class SessionTable {
  readonly #sessions = new Map<string, Session>()
  readonly #challenges = new Map<string, Challenge>()

  /** A one-time login challenge for an account (issued whether or not the account exists). */
  challenge (accountId: string, now: number): Buffer {
    if (this.#challenges.size >= MAX_CHALLENGES) this.#expireChallenges(now, true)
    const challenge = randomBytes(32)
    this.#challenges.set(challenge.toString('hex'), { accountId, issuedAt: now })
    return challenge
  }

  /** Take a challenge (once): true when it was issued for this account and has not expired. */
  takeChallenge (challenge: Uint8Array, accountId: string, now: number): boolean {
    const key = Buffer.from(challenge).toString('hex')
    const found = this.#challenges.get(key)
    this.#challenges.delete(key)
    return found !== undefined && found.accountId === accountId && now - found.issuedAt <= CHALLENGE_TTL_MS
  }

  start (accountId: string, terminalId: string, now: number): Session {
    const session: Session = { token: randomBytes(32), accountId, terminalId, startedAt: now, lastSeen: now, locked: false, refs: new Map() }
    this.#sessions.set(session.token.toString('hex'), session)
    return session
  }

  find (token: Uint8Array): Session | undefined {
    if (token.length !== 32) return undefined
    const session = this.#sessions.get(Buffer.from(token).toString('hex'))
    // The map lookup is by the token itself; compare again in constant time against timing probes.
    return session !== undefined && timingSafeEqual(session.token, token) ? session : undefined
  }

  end (session: Session): void {
    this.#sessions.delete(session.token.toString('hex'))
  }

  /** End every session of an account (revocation, deletion, lockout). */
  endAccount (accountId: string): void {
    for (const [key, s] of this.#sessions) if (s.accountId === accountId) this.#sessions.delete(key)
  }

  remember (session: Session, ref: SessionRef): string {
    const id = randomBytes(12).toString('hex')
    if (session.refs.size >= MAX_REFS) {
      const oldest = session.refs.keys().next().value
      if (oldest !== undefined) session.refs.delete(oldest)
    }
    session.refs.set(id, ref)
    return id
  }

  #expireChallenges (now: number, all: boolean): void {
    for (const [key, c] of this.#challenges) if (all || now - c.issuedAt > CHALLENGE_TTL_MS) this.#challenges.delete(key)
  }
}

/** The text a login signature covers: a fixed context, then the challenge (no cross-protocol reuse). */
export function loginSignedData (challenge: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from('ken/v1 terminal login\0', 'latin1'), challenge])
}
