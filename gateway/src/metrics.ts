/**
 * The gateway's counters (SPEC §7: connections per CS, updates, rejects by reason): per municipality
 * accepted / duplicate / rejected-by-reason, the in-flight gauge and the connection gauge; globally
 * the refusals by code (TLS, packet guard, authorisation) and the store batches.
 */
import { ResultStatus, type UpdateResult } from '../../proto/src/types.ts'

/** One municipality's figures. */
export interface MunicipalityMetrics {
  connections: number
  inflight: number
  accepted: number
  duplicate: number
  rejected: Record<string, number>
}

/** What `metrics()` returns: a copy, safe to keep. */
export interface MetricsSnapshot {
  readonly connections: number
  readonly municipalities: Readonly<Record<string, MunicipalityMetrics>>
  /** Refusals by KEN_ERR_* code (connections closed, publishes and subscriptions denied). */
  readonly refusals: Readonly<Record<string, number>>
  readonly store: { readonly batches: number, readonly items: number, readonly failedBatches: number }
}

export class GatewayMetrics {
  readonly #byCs = new Map<string, MunicipalityMetrics>()
  readonly #refusals = new Map<string, number>()
  #connections = 0
  #batches = 0
  #items = 0
  #failedBatches = 0

  connectionOpened (municipality: string): void {
    this.#connections++
    this.#of(municipality).connections++
  }

  connectionClosed (municipality: string): void {
    this.#connections--
    this.#of(municipality).connections--
  }

  inflight (municipality: string, delta: number): void {
    this.#of(municipality).inflight += delta
  }

  /** Count a result the store returned for an update of `municipality`. */
  result (municipality: string, result: Pick<UpdateResult, 'status' | 'reasonCode'>): void {
    const m = this.#of(municipality)
    if (result.status === ResultStatus.ACCEPTED) m.accepted++
    else if (result.status === ResultStatus.DUPLICATE) m.duplicate++
    else m.rejected[result.reasonCode] = (m.rejected[result.reasonCode] ?? 0) + 1
  }

  refused (code: string): void {
    this.#refusals.set(code, (this.#refusals.get(code) ?? 0) + 1)
  }

  batch (items: number, ok: boolean): void {
    if (ok) {
      this.#batches++
      this.#items += items
    } else {
      this.#failedBatches++
    }
  }

  snapshot (): MetricsSnapshot {
    const municipalities: Record<string, MunicipalityMetrics> = {}
    for (const [code, m] of this.#byCs) municipalities[code] = { ...m, rejected: { ...m.rejected } }
    return {
      connections: this.#connections,
      municipalities,
      refusals: Object.fromEntries(this.#refusals),
      store: { batches: this.#batches, items: this.#items, failedBatches: this.#failedBatches }
    }
  }

  #of (municipality: string): MunicipalityMetrics {
    let m = this.#byCs.get(municipality)
    if (m === undefined) {
      m = { connections: 0, inflight: 0, accepted: 0, duplicate: 0, rejected: {} }
      this.#byCs.set(municipality, m)
    }
    return m
  }
}
