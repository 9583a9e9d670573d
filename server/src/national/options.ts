/**
 * ken-national's options (SPEC §5.1): one schema that refuses unknown keys, defaults in one object, a
 * frozen result (STYLE.md). The national server's CA (`caFile`) is its own setting, never the
 * prefecture's CA: the national server is trusted only for this link.
 */
import { z } from 'zod'
import type { DeepReadonly } from '../../../firmware-config/src/deep.ts'
import { parseOptions } from '../../../firmware-config/src/parse-options.ts'
import { errors } from './errors.ts'

export const DEFAULTS = Object.freeze({
  // A window of 256 forwards, each acknowledged after the national side's fsync, held the link near
  // 256 per fsync while a load made fsyncs slow (issue 18); 1,024 is a few hundred kB in flight.
  window: 1024,
  // Forwards per PUBLISH (NationalForwardBatch): alone, each cost ken-national ~100 µs of CPU and the
  // national side as much (bench/national.ts, issue 18); a batch pays MQTT, TLS and the ack once.
  batch: 64,
  readWaitMs: 1000,
  reconnectMinMs: 100,
  reconnectMaxMs: 5000,
  connectTimeoutMs: 10_000,
  keepaliveSeconds: 30,
  queryTimeoutMs: 8000,
  statusIntervalMs: 1000
})

const int = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)

const schema = z.object({
  /** The store's outbox socket. */
  outboxSocketPath: z.string().min(1),
  /** 都道府県コード: the topics and the client id; the national server takes it from the certificate. */
  prefectureCode: z.string().regex(/^(0[1-9]|[1-3][0-9]|4[0-7])$/, 'two digits, 01–47'),
  /** mqtts://host:port of the national server. */
  nationalUrl: z.string().regex(/^mqtts:\/\/[^/]+:[0-9]{1,5}$/, 'mqtts://host:port (TLS only)'),
  /** The national server's CA bundle (PEM) — configured apart from the prefecture's CA. */
  caFile: z.string().min(1),
  /** ken-national's client certificate (chain) and key, from ken-pki issue national-client. */
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
  /** Forwards sent and not yet acknowledged, at most. */
  window: int(1, 4096).default(DEFAULTS.window),
  /** Forwards one PUBLISH may carry (1: each alone on …/forward, as a national side without the batch topic needs). */
  batch: int(1, 1024).default(DEFAULTS.batch),
  readWaitMs: int(0, 5000).default(DEFAULTS.readWaitMs),
  reconnectMinMs: int(10, 60_000).default(DEFAULTS.reconnectMinMs),
  reconnectMaxMs: int(10, 600_000).default(DEFAULTS.reconnectMaxMs),
  connectTimeoutMs: int(100, 120_000).default(DEFAULTS.connectTimeoutMs),
  keepaliveSeconds: int(5, 3600).default(DEFAULTS.keepaliveSeconds),
  queryTimeoutMs: int(100, 120_000).default(DEFAULTS.queryTimeoutMs),
  /** Where the lag is written as JSON (atomically, every statusIntervalMs), for the live view and metrics. */
  statusFile: z.string().min(1).optional(),
  statusIntervalMs: int(100, 60_000).default(DEFAULTS.statusIntervalMs),
  /** The maintenance socket ken-maint reaches (health, metrics, live rotation of the credential). */
  maintSocket: z.string().min(1).optional()
}).strict()

export type NationalInput = z.input<typeof schema>
export type NationalOptions = DeepReadonly<z.output<typeof schema>>

/** Validate once at the edge. @throws KEN_ERR_NATIONAL_INVALID_OPTIONS naming the key */
export function parseNationalOptions (input: unknown): NationalOptions {
  return parseOptions(schema, input, errors.KEN_ERR_NATIONAL_INVALID_OPTIONS)
}
