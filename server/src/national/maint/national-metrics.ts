/**
 * ken-national's metrics (SPEC §7: outbox lag and oldest age), in its own prom-client registry,
 * served on its maintenance socket (ken-maint scrapes it). Every series is read from the forwarder's
 * `lag()` when the registry is collected, so forwarding pays nothing for them. Base units: positions
 * and seconds. No label at all: nothing of a resident can reach one.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import type { NationalLag } from '../forwarder.ts'

export class NationalMetrics {
  /** The daemon's one registry: its series plus the process's (RSS, CPU, event loop). */
  readonly registry = new Registry()

  constructor (lag: () => NationalLag) {
    const registers = [this.registry]
    const gauge = (name: string, help: string, read: (l: NationalLag) => number): void => {
      new Gauge({ name, help, registers, collect () { this.set(read(lag())) } })
    }
    const counter = (name: string, help: string, read: (l: NationalLag) => number): void => {
      new Counter({ name, help, registers, collect () { this.reset(); this.inc(read(lag())) } })
    }
    gauge('ken_national_outbox_lag_positions', 'Log positions not yet confirmed as forwarded (read and unconfirmed, plus not yet read; an upper bound)', (l) => l.lagPositions)
    gauge('ken_national_oldest_unconfirmed_age_seconds', 'Age of the oldest forward read from the outbox and not yet confirmed (0 when none)', (l) => l.oldestAgeMs / 1000)
    gauge('ken_national_pending_forwards', 'Forwards read from the outbox and not yet confirmed', (l) => l.pendingForwards)
    gauge('ken_national_confirmed_position', 'The log position confirmed as durably forwarded', (l) => l.confirmed)
    gauge('ken_national_link_up', '1 while the authenticated link to the national server is up', (l) => l.linkUp ? 1 : 0)
    gauge('ken_national_outbox_connected', '1 while the outbox socket to the store is connected', (l) => l.outboxConnected ? 1 : 0)
    counter('ken_national_forwards_published_total', 'Forwards published to the national server since start (a resend counts again)', (l) => l.published)
    counter('ken_national_forwards_confirmed_total', 'Forwards acknowledged by the national server and confirmed to the store since start', (l) => l.forwarded)
    collectDefaultMetrics({ register: this.registry })
  }

  async text (): Promise<string> {
    return await this.registry.metrics()
  }
}
