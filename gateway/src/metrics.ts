/**
 * The gateway's metrics (SPEC §7: connections per CS, updates, rejects by reason), kept in its own
 * prom-client registry and exposed in the Prometheus text format on its maintenance socket
 * (ken-maint scrapes it). Names follow the Prometheus conventions: `ken_gateway_…`, counters end in
 * `_total`. The municipality label is a 市町村コード (public), never anything of a resident.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
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

const STATUS_NAMES: Readonly<Record<number, string>> = { [ResultStatus.ACCEPTED]: 'accepted', [ResultStatus.DUPLICATE]: 'duplicate', [ResultStatus.REJECTED]: 'rejected' }

export class GatewayMetrics {
  /** The daemon's one registry: its own series plus the process's (RSS, CPU, event loop). */
  readonly registry = new Registry()
  readonly #connections: Gauge<'municipality'>
  readonly #inflight: Gauge<'municipality'>
  readonly #updates: Counter<'municipality' | 'status' | 'reason'>
  readonly #refusals: Counter<'code'>
  readonly #batches: Counter<'outcome'>
  readonly #batchItems: Counter
  // The per-update figures (result, inflight) are plain numbers copied into the registry when it is
  // read (collect): prom-client hashes the label object on every labelled call, 1–2 µs an update on
  // the ingest path (measured), which SPEC §8's CPU budget per update cannot spare.
  readonly #inflightOf = new Map<string, number>()
  readonly #updatesOf = new Map<string, { readonly labels: { municipality: string, status: string, reason: string }, n: number }>()

  constructor () {
    const registers = [this.registry]
    this.#connections = new Gauge({ name: 'ken_gateway_connections', help: 'Open CS links, by municipality', labelNames: ['municipality'], registers })
    const inflightOf = this.#inflightOf
    const updatesOf = this.#updatesOf
    this.#inflight = new Gauge({
      name: 'ken_gateway_inflight_updates',
      help: 'PUBLISH packets between arrival and PUBACK, by municipality',
      labelNames: ['municipality'],
      registers,
      collect () { for (const [municipality, n] of inflightOf) this.set({ municipality }, n) }
    })
    this.#updates = new Counter({
      name: 'ken_gateway_updates_total',
      help: 'Results the store returned for CS updates, by municipality, status and reject reason',
      labelNames: ['municipality', 'status', 'reason'],
      registers,
      collect () {
        this.reset()
        for (const { labels, n } of updatesOf.values()) this.inc(labels, n)
      }
    })
    this.#refusals = new Counter({ name: 'ken_gateway_refusals_total', help: 'Connections closed and packets denied, by KEN_ERR_* code', labelNames: ['code'], registers })
    this.#batches = new Counter({ name: 'ken_gateway_store_batches_total', help: 'AppendRequests sent to the store, by outcome', labelNames: ['outcome'], registers })
    this.#batchItems = new Counter({ name: 'ken_gateway_store_batch_items_total', help: 'Items in committed AppendRequests', registers })
    collectDefaultMetrics({ register: this.registry })
  }

  connectionOpened (municipality: string): void {
    this.#connections.inc({ municipality })
  }

  connectionClosed (municipality: string): void {
    this.#connections.dec({ municipality })
  }

  inflight (municipality: string, delta: number): void {
    this.#inflightOf.set(municipality, (this.#inflightOf.get(municipality) ?? 0) + delta)
  }

  /** Count a result the store returned for an update of `municipality`. */
  result (municipality: string, result: Pick<UpdateResult, 'status' | 'reasonCode'>): void {
    const status = STATUS_NAMES[result.status] ?? 'unspecified'
    const reason = status === 'rejected' ? result.reasonCode : ''
    const key = `${municipality}\u0000${status}\u0000${reason}`
    const entry = this.#updatesOf.get(key)
    if (entry === undefined) this.#updatesOf.set(key, { labels: { municipality, status, reason }, n: 1 })
    else entry.n++
  }

  refused (code: string): void {
    this.#refusals.inc({ code })
  }

  batch (items: number, ok: boolean): void {
    this.#batches.inc({ outcome: ok ? 'committed' : 'failed' })
    if (ok) this.#batchItems.inc(items)
  }

  /** The Prometheus text exposition of every series. */
  async text (): Promise<string> {
    return await this.registry.metrics()
  }

  /** The figures as one object (tests, the live view), read from the same series. */
  async snapshot (): Promise<MetricsSnapshot> {
    const municipalities: Record<string, MunicipalityMetrics> = {}
    const of = (code: string): MunicipalityMetrics => (municipalities[code] ??= { connections: 0, inflight: 0, accepted: 0, duplicate: 0, rejected: {} })
    let connections = 0
    for (const v of (await this.#connections.get()).values) {
      of(String(v.labels.municipality)).connections = v.value
      connections += v.value
    }
    for (const v of (await this.#inflight.get()).values) of(String(v.labels.municipality)).inflight = v.value
    for (const v of (await this.#updates.get()).values) {
      const m = of(String(v.labels.municipality))
      if (v.labels.status === 'accepted') m.accepted += v.value
      else if (v.labels.status === 'duplicate') m.duplicate += v.value
      else m.rejected[String(v.labels.reason)] = (m.rejected[String(v.labels.reason)] ?? 0) + v.value
    }
    const refusals: Record<string, number> = {}
    for (const v of (await this.#refusals.get()).values) refusals[String(v.labels.code)] = v.value
    const batches = (await this.#batches.get()).values
    const batchesOf = (outcome: string): number => batches.find((v) => v.labels.outcome === outcome)?.value ?? 0
    const items = (await this.#batchItems.get()).values[0]?.value ?? 0
    return { connections, municipalities, refusals, store: { batches: batchesOf('committed'), items, failedBatches: batchesOf('failed') } }
  }
}
