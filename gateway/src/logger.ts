/**
 * Structured JSON logs (pino) with a stable event name on every line. The gateway never logs
 * personal data (SPEC §7, STYLE.md): only the fields of {@link LogFields} exist — codes,
 * municipality, stream, sequence, reason codes, counts — so a resident's data cannot be logged
 * by accident; payloads are never logged, not even their length per message at info level.
 */
import pino, { type Logger } from 'pino'

/** Every event the gateway logs. Names are stable: dashboards and the review tool key on them. */
export const EVENTS = [
  'gateway.started',
  'gateway.stopped',
  'gateway.crl.reloaded',
  'gateway.crl.reload_failed',
  'gateway.crl.warning',
  'gateway.connection.rate_limited',
  'gateway.connection.tls_failed',
  'gateway.connection.refused',
  'gateway.connection.accepted',
  'gateway.connection.revoked',
  'gateway.connection.guard_closed',
  'gateway.connection.error',
  'gateway.mqtt.connected',
  'gateway.mqtt.connect_refused',
  'gateway.mqtt.disconnected',
  'gateway.publish.denied',
  'gateway.subscribe.denied',
  'gateway.update.result',
  'gateway.update.unexpected_error',
  'gateway.store.connected',
  'gateway.store.unavailable',
  'gateway.store.batch_failed',
  'gateway.proof.refused',
  'gateway.proof.store_unavailable',
  'gateway.reconcile.store_unavailable',
  'gateway.tls.rotated',
  'gateway.maint.refused',
  'gateway.maint.failed',
  'gateway.maint.bad_frame'
] as const

export type LogEvent = typeof EVENTS[number]

/** The only fields a gateway log line may carry. */
export interface LogFields {
  readonly municipality?: string
  readonly clientId?: string
  readonly serial?: string
  readonly remote?: string
  readonly code?: string
  readonly reason?: string
  readonly field?: string
  readonly stream?: number
  readonly sequence?: number
  readonly status?: string
  readonly count?: number
  readonly limit?: number
  readonly host?: string
  readonly port?: number
  readonly topicKind?: string
}

export type Level = 'debug' | 'info' | 'warn' | 'error'

/** The gateway's logger: `log.warn('gateway.publish.denied', { municipality, code })`. */
export interface GatewayLogger {
  debug: (event: LogEvent, fields?: LogFields) => void
  info: (event: LogEvent, fields?: LogFields) => void
  warn: (event: LogEvent, fields?: LogFields) => void
  error: (event: LogEvent, fields?: LogFields) => void
  /** True when `level` would be written (keeps hot paths free of work nobody reads). */
  enabled: (level: Level) => boolean
}

/** Wrap a pino logger; by default JSON lines to stdout at `info`. */
export function createLogger (base: Logger = pino({ base: { service: 'ken-gateway' }, level: 'info' })): GatewayLogger {
  const at = (level: Level) => (event: LogEvent, fields: LogFields = {}): void => {
    base[level]({ event, ...fields })
  }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled: (level) => base.isLevelEnabled(level) }
}

/** A logger that drops everything (tests that assert on metrics instead). */
export const silentLogger: GatewayLogger = createLogger(pino({ level: 'silent' }))
