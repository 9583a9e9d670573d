/**
 * `runSimulator`: one simulated CS per municipality against a gateway (tests, the demo, `ken-cs-sim`).
 * Each takes its events from `events(code)` — the population/event generator, or anything else that
 * yields payloads with the result they must get — and the run reports accepted / duplicate / rejected
 * per municipality and reason, and every result that contradicts its event.
 */
import type { MqttClient } from 'mqtt'
import { Histogram } from '../../../bench/loadgen/histogram.ts'
import { SimulatedCs, type SimEvent } from './simulated-cs.ts'
import { emptyCsStats, MAX_SAMPLES, type SimStats } from './stats.ts'
import { emptyReceiptStats, type ReceiptStats } from './receipts.ts'
import { parseVerifierKey } from '../../../server/src/log/checkpoint/index.ts'

export type { SimEvent } from './simulated-cs.ts'
export { totals, type CsStats, type Expectation, type Mismatch, type SimStats } from './stats.ts'

export interface SimulatorOptions {
  /** `mqtts://127.0.0.1:8883` */
  readonly brokerUrl: string
  /** The prefecture's CA certificate(s), PEM. */
  readonly ca: string | Buffer
  /** Each municipality's CS certificate and key, PEM. */
  readonly credentials: ReadonlyMap<string, { readonly cert: string | Buffer, readonly key: string | Buffer }>
  /** The events one municipality's CS sends, in order. */
  readonly events: (code: string) => AsyncIterable<SimEvent> | Iterable<SimEvent>
  /** Updates per second, per CS. */
  readonly ratePerSecond: number
  /** Unacknowledged updates per CS, at most. */
  readonly window: number
  /** After its last event, how long a CS waits for outstanding results (default 30 s). */
  readonly resultTimeoutMs?: number
  /** Delay before mqtt.js reconnects after a lost link (default 500 ms). */
  readonly reconnectPeriodMs?: number
  /** Catch-up events (the initial load) go in …/update-batch PUBLISHes of up to this many (default 1: each alone). */
  readonly batchSize?: number
  /** The log's verifier key: each CS then verifies receipts of a sample of its accepted results. */
  readonly logVerifierKey?: string
  /** One receipt every N accepted results per CS (default 50). */
  readonly receiptEvery?: number
}

export interface Simulation {
  /** Live figures, updated as results arrive. */
  readonly stats: SimStats
  /** Resolves when every CS has sent its events and had its results (or timed out waiting). */
  readonly done: Promise<SimStats>
  /**
   * Publish-to-PUBACK time over the run so far — the commit latency, since the gateway sends the
   * PUBACK only once the store has committed (SPEC §3); undefined before the first PUBACK.
   */
  latency: () => { p50Ms: number, p99Ms: number } | undefined
  /** Cut one CS's network connection (it reconnects and redelivers what was unacknowledged). */
  drop: (code: string) => void
  /** Receipts asked for and verified (all zero without logVerifierKey). */
  readonly receipts: ReceiptStats
  /** The receipt failures so far (municipality and what failed; never resident data). */
  readonly receiptFailures: string[]
  /** One CS's link (a reconciliation runs over it, reconciling-cs.ts). */
  linkOf: (code: string) => MqttClient | undefined
  /** Stop sending, disconnect every CS, and return the figures. */
  stop: () => Promise<SimStats>
}

export function runSimulator (opts: SimulatorOptions): Simulation {
  if (!(opts.ratePerSecond > 0) || !Number.isInteger(opts.window) || opts.window < 1) throw new RangeError('ratePerSecond must be > 0 and window a positive integer')
  const stats: SimStats = { municipalities: {}, mismatches: [] }
  const acks = new Histogram()
  const receipts = emptyReceiptStats()
  const receiptFailures: string[] = []
  const verifier = opts.logVerifierKey === undefined ? undefined : parseVerifierKey(opts.logVerifierKey)
  const clients = [...opts.credentials].map(([code, cred]) => {
    const s = emptyCsStats()
    stats.municipalities[code] = s
    return new SimulatedCs(code, {
      brokerUrl: opts.brokerUrl,
      ca: opts.ca,
      cert: cred.cert,
      key: cred.key,
      ratePerSecond: opts.ratePerSecond,
      window: opts.window,
      resultTimeoutMs: opts.resultTimeoutMs ?? 30_000,
      reconnectPeriodMs: opts.reconnectPeriodMs ?? 500,
      ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
      stats: s,
      onMismatch: (m) => { if (stats.mismatches.length < MAX_SAMPLES) stats.mismatches.push(m) },
      onAck: (ms) => { acks.record(ms) },
      ...(verifier === undefined
        ? {}
        : {
            receipts: {
              verifier,
              every: opts.receiptEvery ?? 50,
              stats: receipts,
              // Loudly: a receipt that does not verify means the prefecture's log cannot be trusted.
              onFailure: (code: string, what: string) => {
                if (receiptFailures.length < MAX_SAMPLES) receiptFailures.push(`${code}: ${what}`)
                process.stderr.write(`RECEIPT CHECK FAILED cs-${code}: ${what}\n`)
              }
            }
          })
    })
  })
  const done = Promise.all(clients.map(async (c) => {
    try {
      await c.run(opts.events(c.code))
    } catch {
      // Counted in the CS's stats (failed, errors); the others go on.
    } finally {
      await c.stop()
    }
  })).then(() => stats)
  return {
    stats,
    done,
    receipts,
    receiptFailures,
    latency: () => acks.total === 0 ? undefined : { p50Ms: acks.quantile(0.5), p99Ms: acks.quantile(0.99) },
    drop: (code) => { clients.find((c) => c.code === code)?.drop() },
    linkOf: (code) => clients.find((c) => c.code === code)?.link,
    stop: async () => {
      await Promise.all(clients.map(async (c) => { await c.stop() }))
      return stats
    }
  }
}
