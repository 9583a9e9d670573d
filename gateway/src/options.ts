/**
 * The gateway's options: one schema that refuses unknown keys, the defaults in one object, and a
 * deep-frozen result (STYLE.md, fastify's initial-config-validation). The hardened defaults of the
 * link are firmware-config's (one source of truth); its `gateway` section is accepted verbatim, so
 * the CLI's mapping is `{ ...config.gateway, storeSocket, tls, juminhyoCheckDigit, municipalities }`.
 */
import { z } from 'zod'
import { DEFAULTS as APPLIANCE_DEFAULTS } from '../../firmware-config/src/defaults.ts'
import { deepFreeze } from '../../firmware-config/src/deep.ts'
import { isValidMunicipalityCode } from '../../server/src/domain/identifiers.ts'
import { errors } from './errors.ts'

const LINK = APPLIANCE_DEFAULTS.gateway

/** The defaults: the link's from firmware-config, plus the gateway's own store-side tuning. */
export const DEFAULTS = Object.freeze({
  host: LINK.host,
  port: LINK.port,
  maxPacketBytes: LINK.maxPacketBytes,
  maxUpdateBytes: LINK.maxUpdateBytes,
  maxBatchUpdates: LINK.maxBatchUpdates,
  maxConnections: LINK.maxConnections,
  maxInflightPerCs: LINK.maxInflightPerCs,
  maxInflightUpdatesPerCs: LINK.maxInflightUpdatesPerCs,
  maxInflightUpdates: LINK.maxInflightUpdates,
  maxMessagesPerSecondPerCs: LINK.maxMessagesPerSecondPerCs,
  maxSubscriptionsPerSecondPerCs: LINK.maxSubscriptionsPerSecondPerCs,
  maxConnectionsPerSecond: LINK.maxConnectionsPerSecond,
  handshakeTimeoutMs: LINK.handshakeTimeoutMs,
  connectTimeoutMs: LINK.connectTimeoutMs,
  keepalive: LINK.keepalive,
  crlStale: LINK.crlStale,
  juminhyoCheckDigit: APPLIANCE_DEFAULTS.store.juminhyoCheckDigit,
  maxBatchItems: 2048,
  maxAppendsInFlight: 8,
  storeRetryMs: 250
})

const int = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)

const schema = z.object({
  host: z.string().min(1).default(DEFAULTS.host),
  /** 0 picks a free port (tests); the appliance uses 8883. */
  port: int(0, 65535).default(DEFAULTS.port),
  /** Accepted so firmware-config's section maps as is; TLS 1.3 is fixed (SPEC §3). */
  tlsMinVersion: z.literal('TLSv1.3').optional(),
  /** Path of the store daemon's append socket (store.proto), the gateway's only way to the store. */
  storeSocket: z.string().min(1),
  /** The store daemon's reconcile socket (SPEC §5.3); default `reconcile.sock` beside storeSocket. */
  reconcileSocket: z.string().min(1).optional(),
  /** PEM files of the prefecture's PKI (ca: issuing + root, as devPki writes ca.crt). */
  tls: z.object({
    caFile: z.string().min(1),
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
    crlFile: z.string().min(1)
  }).strict(),
  /** Hard cap on one MQTT packet: the connection is closed before a bigger payload is read. */
  maxPacketBytes: int(1024, 1048576).default(DEFAULTS.maxPacketBytes),
  /** Cap on one update's payload: a bigger one is committed as a KEN_REJECT_OVERSIZED rejection. */
  maxUpdateBytes: int(256, 1048576).default(DEFAULTS.maxUpdateBytes),
  /** Most updates in one …/update-batch PUBLISH (batch.proto); a bigger batch is one KEN_REJECT_OVERSIZED. */
  maxBatchUpdates: int(1, 4096).default(DEFAULTS.maxBatchUpdates),
  /** Concurrent TCP connections in all. */
  maxConnections: int(1, 10000).default(DEFAULTS.maxConnections),
  /** PUBLISH packets of one link between arrival and PUBACK; more are left unread (backpressure). */
  maxInflightPerCs: int(1, 65535).default(DEFAULTS.maxInflightPerCs),
  /** Updates of one link between arrival and answer (a batch counts each); beyond it the link is left unread. */
  maxInflightUpdatesPerCs: int(1, 1048576).default(DEFAULTS.maxInflightUpdatesPerCs),
  /** Updates of all links together between arrival and answer; beyond it the links wait in turn, unread. */
  maxInflightUpdates: int(1, 16777216).default(DEFAULTS.maxInflightUpdates),
  /** Token-bucket rate per CS (one second of burst); above it the link is read more slowly. */
  maxMessagesPerSecondPerCs: int(1, 1000000).default(DEFAULTS.maxMessagesPerSecondPerCs),
  /** SUBSCRIBE/UNSUBSCRIBE token bucket per CS; above it the link is read more slowly. */
  maxSubscriptionsPerSecondPerCs: int(1, 1000).default(DEFAULTS.maxSubscriptionsPerSecondPerCs),
  /** New TCP connections per second from one source address; more are closed before TLS. */
  maxConnectionsPerSecond: int(1, 10000).default(DEFAULTS.maxConnectionsPerSecond),
  handshakeTimeoutMs: int(100, 60000).default(DEFAULTS.handshakeTimeoutMs),
  connectTimeoutMs: int(100, 60000).default(DEFAULTS.connectTimeoutMs),
  /** Keep alive a CS may ask for in CONNECT; 0 (none) is refused [MQTT-3.1.2-24]. */
  keepalive: z.object({ minSeconds: int(1, 65535), maxSeconds: int(1, 65535) }).strict()
    .refine((k) => k.minSeconds <= k.maxSeconds, { message: 'minSeconds must not exceed maxSeconds', path: ['minSeconds'] })
    .default(DEFAULTS.keepalive),
  /** A CRL past its nextUpdate: 'fail' refuses CS links, 'warn' logs and accepts (verifier). */
  crlStale: z.enum(['fail', 'warn']).default(DEFAULTS.crlStale),
  /** SPEC §2.3: the 住民票コード check digit is a configuration option, off by default. */
  juminhyoCheckDigit: z.boolean().default(DEFAULTS.juminhyoCheckDigit),
  /** The prefecture's municipality codes; a CS certificate for any other is refused. */
  municipalities: z.array(z.string().refine(isValidMunicipalityCode, 'not a 市町村コード with a valid check digit')).min(1).optional(),
  /** Updates of many CS gathered into one AppendRequest (micro-batching per tick). */
  maxBatchItems: int(1, 65535).default(DEFAULTS.maxBatchItems),
  /** AppendRequests pipelined on the store socket. */
  maxAppendsInFlight: int(1, 1024).default(DEFAULTS.maxAppendsInFlight),
  /** The gateway's maintenance socket (maint.proto: health, metrics, TLS rotation) for ken-maint; absent: none. */
  maintSocket: z.string().min(1).optional(),
  /** Least time between two attempts to reach the store socket. */
  storeRetryMs: int(10, 60000).default(DEFAULTS.storeRetryMs)
}).strict().superRefine((o, ctx) => {
  if (o.maxUpdateBytes >= o.maxPacketBytes) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maxUpdateBytes'], message: 'must be below maxPacketBytes (the packet also carries the topic)' })
  }
  if (o.maxInflightUpdatesPerCs < o.maxBatchUpdates) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maxInflightUpdatesPerCs'], message: 'must be at least maxBatchUpdates (one whole batch must fit)' })
  }
  if (o.maxInflightUpdates < o.maxInflightUpdatesPerCs) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['maxInflightUpdates'], message: 'must be at least maxInflightUpdatesPerCs (one link\'s whole budget must fit)' })
  }
})

/** What the caller writes: every key with a default may be left out. */
export type GatewayOptionsInput = z.input<typeof schema>

type Output = z.output<typeof schema>
/** The validated, complete, frozen options. */
export type GatewayOptions = Readonly<Omit<Output, 'tls' | 'keepalive' | 'municipalities'>> & {
  readonly tls: Readonly<Output['tls']>
  readonly keepalive: Readonly<Output['keepalive']>
  readonly municipalities?: readonly string[]
}

/**
 * Validate `input` once, at the edge.
 * @throws KEN_ERR_GW_OPTIONS naming the key and what it must be
 */
export function resolveOptions (input: unknown): GatewayOptions {
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const key = issue === undefined ? '' : issue.path.join('.')
    throw errors.KEN_ERR_GW_OPTIONS(issue === undefined ? undefined : `${key}: ${issue.message}`, { field: key })
  }
  return deepFreeze(parsed.data) as GatewayOptions
}
