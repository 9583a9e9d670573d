/**
 * The 物理削除 requests waiting for a second person (SPEC §2.5, requirements E5, H24), held by the
 * store in memory only: the 住民票コード a request names never reaches a file in clear (the filing act
 * carries it as a blind index). A store restart drops the pending requests — the safe side: nothing
 * is erased without a fresh filing — while their filings stay in the log. Decided requests are kept
 * (without the code) so the administrators see what became of them.
 */
import { randomBytes } from 'node:crypto'
import type { DeletionRequestInfo } from '../../../../proto/src/types.ts'

export interface DeletionRequest {
  readonly id: string
  readonly reference: string
  readonly requestedBy: string
  readonly requestedAt: string
  readonly requestPosition: number
  /** Cleared once the request is decided. */
  juminhyoCode: string
  status: 'pending' | 'erased' | 'rejected'
  decidedBy: string
  decidedAt: string
  erasurePosition: number
  keys: number
}

/** Decided requests kept for the listing (the oldest go first). */
const MAX_DECIDED = 200

export class DeletionDesk {
  readonly #requests = new Map<string, DeletionRequest>()

  /** A new request id: `D-` and 8 random hex digits (no personal data, not guessable in sequence). */
  newId (): string {
    let id: string
    do id = `D-${randomBytes(4).toString('hex').toUpperCase()}`; while (this.#requests.has(id))
    return id
  }

  add (request: DeletionRequest): void {
    this.#requests.set(request.id, request)
  }

  pending (id: string): DeletionRequest | undefined {
    const r = this.#requests.get(id)
    return r?.status === 'pending' ? r : undefined
  }

  /** Mark decided: the code is forgotten; the oldest decided requests beyond the bound are dropped. */
  decide (request: DeletionRequest, outcome: { status: 'erased' | 'rejected', by: string, at: string, erasurePosition?: number, keys?: number }): void {
    request.juminhyoCode = ''
    request.status = outcome.status
    request.decidedBy = outcome.by
    request.decidedAt = outcome.at
    request.erasurePosition = outcome.erasurePosition ?? 0
    request.keys = outcome.keys ?? 0
    const decided = [...this.#requests.values()].filter((r) => r.status !== 'pending')
    for (const old of decided.slice(0, Math.max(0, decided.length - MAX_DECIDED))) this.#requests.delete(old.id)
  }

  /** Pending first (oldest first), then the decided ones, newest first. */
  list (): DeletionRequestInfo[] {
    const all = [...this.#requests.values()]
    const pending = all.filter((r) => r.status === 'pending')
    const decided = all.filter((r) => r.status !== 'pending').reverse()
    return [...pending, ...decided].map((r) => ({
      requestId: r.id, reference: r.reference, requestedBy: r.requestedBy, requestedAt: r.requestedAt, status: r.status,
      decidedBy: r.decidedBy, decidedAt: r.decidedAt, requestPosition: r.requestPosition, erasurePosition: r.erasurePosition, keys: r.keys
    }))
  }
}
