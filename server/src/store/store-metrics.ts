/**
 * The store daemon's metrics (SPEC §7), in its own prom-client registry, served on its maintenance
 * socket: updates by status and reject reason, append latency from receipt to durable answer (the
 * commit latency a CS sees, less the link), AppendRequest sizes, the log head, backups, disk free
 * under the database, and the process's RSS and CPU. Labels are codes, never personal data.
 */
import { statfs } from 'node:fs/promises'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { DifferenceKind, ResultStatus, type UpdateResult } from '../../../proto/src/types.ts'

const DIFFERENCE: Readonly<Record<number, string>> = { [DifferenceKind.MISSING_HERE]: 'missing_here', [DifferenceKind.MISSING_AT_CS]: 'missing_at_cs', [DifferenceKind.DIFFERS]: 'differs' }
const STATUS: Readonly<Record<number, string>> = { [ResultStatus.ACCEPTED]: 'accepted', [ResultStatus.DUPLICATE]: 'duplicate', [ResultStatus.REJECTED]: 'rejected' }

export interface StoreMetricsSources {
  /** The log head's position. */
  readonly logPosition: () => number
  /** The database directory (disk free is measured on its file system). */
  readonly dbPath: string
  /** Seconds since the last signed checkpoint, once the log issues them (issue 11); undefined hides the series. */
  readonly checkpointAgeSeconds?: () => number | undefined
  /**
   * The outbox's confirmed position, when the store serves ken-national. Scraped from the store, it
   * stays visible when ken-national itself is down (its own registry then cannot be read).
   */
  readonly outboxConfirmed?: () => Promise<number | undefined>
}

export class StoreMetrics {
  readonly registry = new Registry()
  readonly #updates: Counter<'status' | 'reason'>
  readonly #latency: Histogram
  readonly #requestItems: Histogram
  readonly #refusedRequests: Counter<'code'>
  readonly #backups: Counter<'outcome'>
  readonly #lastBackup: Gauge
  readonly #acts: Counter<'kind'>
  readonly #reconcileRuns: Counter<'result'>
  readonly #mismatches: Counter<'kind'>
  readonly #groupItems: Histogram
  readonly #groupSeconds: Histogram
  // Per-update counts are plain numbers copied into the registry when it is read: a labelled inc()
  // hashes its labels (1–2 µs), and SPEC §8's CPU budget is per update.
  readonly #updatesOf = new Map<string, { readonly labels: { status: string, reason: string }, n: number }>()

  constructor (sources: StoreMetricsSources) {
    const registers = [this.registry]
    const updatesOf = this.#updatesOf
    this.#updates = new Counter({
      name: 'ken_store_updates_total',
      help: 'Items committed from AppendRequests, by result status and reject reason',
      labelNames: ['status', 'reason'],
      registers,
      collect () {
        this.reset()
        for (const { labels, n } of updatesOf.values()) this.inc(labels, n)
      }
    })
    this.#latency = new Histogram({
      name: 'ken_store_append_duration_seconds',
      help: 'From an AppendRequest read off the socket to its answer: queued, planned, written and fsynced',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers
    })
    this.#requestItems = new Histogram({ name: 'ken_store_append_request_items', help: 'Items per AppendRequest (the gateway gathers many CS into one)', buckets: [1, 4, 16, 64, 256, 1024, 4096], registers })
    this.#refusedRequests = new Counter({ name: 'ken_store_append_refusals_total', help: 'AppendRequests refused whole, by KEN_ERR_* code', labelNames: ['code'], registers })
    this.#backups = new Counter({ name: 'ken_store_backups_total', help: 'Backups taken, by outcome', labelNames: ['outcome'], registers })
    this.#lastBackup = new Gauge({ name: 'ken_store_last_backup_timestamp_seconds', help: 'When the last backup was completed (Unix time)', registers })
    this.#groupItems = new Histogram({ name: 'ken_store_commit_group_items', help: 'Items per commit group (SPEC §4: many updates per fsync)', buckets: [1, 4, 16, 64, 128, 256, 512, 1024, 4096], registers })
    this.#groupSeconds = new Histogram({ name: 'ken_store_commit_group_duration_seconds', help: 'A commit group from its start to its answer: planned, written, fsynced', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1], registers })
    this.#acts = new Counter({ name: 'ken_store_maint_acts_total', help: 'Technician acts recorded through the maintenance socket, by kind', labelNames: ['kind'], registers })
    // SPEC §5.3, requirements C5: runs closed by result, and what they found (the kinds are public enum names).
    this.#reconcileRuns = new Counter({ name: 'ken_store_reconcile_runs_total', help: 'Reconciliation runs closed (matched, mismatched) and chunks refused, by result', labelNames: ['result'], registers })
    this.#mismatches = new Counter({ name: 'ken_store_reconcile_mismatches_total', help: 'Differences found by closed reconciliation runs, by kind', labelNames: ['kind'], registers })
    new Gauge({ name: 'ken_store_log_entries', help: 'Entries in the log (the head position)', registers, collect () { this.set(sources.logPosition()) } })
    new Gauge({
      name: 'ken_store_disk_free_bytes',
      help: 'Bytes free to an unprivileged process on the file system of the database',
      registers,
      async collect () {
        const s = await statfs(sources.dbPath).catch(() => undefined)
        if (s !== undefined) this.set(s.bavail * s.bsize)
      }
    })
    if (sources.checkpointAgeSeconds !== undefined) {
      const age = sources.checkpointAgeSeconds
      new Gauge({ name: 'ken_store_checkpoint_age_seconds', help: 'Seconds since the newest signed checkpoint', registers, collect () { const a = age(); if (a !== undefined) this.set(a) } })
    }
    if (sources.outboxConfirmed !== undefined) {
      const confirmed = sources.outboxConfirmed
      new Gauge({ name: 'ken_store_outbox_confirmed_position', help: 'The log position ken-national confirmed as forwarded (compare with ken_store_log_entries)', registers, async collect () { const c = await confirmed(); if (c !== undefined) this.set(c) } })
    }
    collectDefaultMetrics({ register: this.registry })
  }

  /** One AppendRequest answered (results) or refused (code) after `seconds`. */
  answered (items: number, seconds: number, results: readonly Pick<UpdateResult, 'status' | 'reasonCode'>[], refusedCode: string): void {
    this.#latency.observe(seconds)
    this.#requestItems.observe(items)
    if (refusedCode !== '') this.#refusedRequests.inc({ code: refusedCode })
    for (const r of results) {
      const status = STATUS[r.status] ?? 'unspecified'
      const reason = status === 'rejected' ? r.reasonCode : ''
      const key = `${status}\u0000${reason}`
      const entry = this.#updatesOf.get(key)
      if (entry === undefined) this.#updatesOf.set(key, { labels: { status, reason }, n: 1 })
      else entry.n++
    }
  }

  /** One commit group has run. */
  group (items: number, seconds: number): void {
    this.#groupItems.observe(items)
    this.#groupSeconds.observe(seconds)
  }

  backup (ok: boolean, at: Date): void {
    this.#backups.inc({ outcome: ok ? 'written' : 'failed' })
    if (ok) this.#lastBackup.set(at.getTime() / 1000)
  }

  /** A reconciliation run closed (or a chunk refused), with the kinds of its differences. */
  reconcileRun (result: string, differenceKinds: readonly number[]): void {
    this.#reconcileRuns.inc({ result })
    const byKind = new Map<string, number>()
    for (const k of differenceKinds) byKind.set(DIFFERENCE[k] ?? 'unspecified', (byKind.get(DIFFERENCE[k] ?? 'unspecified') ?? 0) + 1)
    for (const [kind, n] of byKind) this.#mismatches.inc({ kind }, n)
  }

  act (kind: string): void {
    this.#acts.inc({ kind })
  }

  async text (): Promise<string> {
    return await this.registry.metrics()
  }
}
