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
  /** One CS's link (a reconciliation runs over it, reconciling-cs.ts). */
  linkOf: (code: string) => MqttClient | undefined
  /** Stop sending, disconnect every CS, and return the figures. */
  stop: () => Promise<SimStats>
}

export function runSimulator (opts: SimulatorOptions): Simulation {
  if (!(opts.ratePerSecond > 0) || !Number.isInteger(opts.window) || opts.window < 1) throw new RangeError('ratePerSecond must be > 0 and window a positive integer')
  const stats: SimStats = { municipalities: {}, mismatches: [] }
  const acks = new Histogram()
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
      stats: s,
      onMismatch: (m) => { if (stats.mismatches.length < MAX_SAMPLES) stats.mismatches.push(m) },
      onAck: (ms) => { acks.record(ms) }
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
    latency: () => acks.total === 0 ? undefined : { p50Ms: acks.quantile(0.5), p99Ms: acks.quantile(0.99) },
    drop: (code) => { clients.find((c) => c.code === code)?.drop() },
    linkOf: (code) => clients.find((c) => c.code === code)?.link,
    stop: async () => {
      await Promise.all(clients.map(async (c) => { await c.stop() }))
      return stats
    }
  }
}
