/**
 * `startGateway`: the hardened MQTT/TLS daemon of the CS line (SPEC §3). It wires the TLS listener,
 * the packet guard and limits, the default-deny broker, and the ingest to the store's append socket
 * — its only way to the store (it never opens the database). Options are validated once, here.
 */
import { readFile } from 'node:fs/promises'
import { CrlStore } from '../../certs/src/crl-store.ts'
import { createVerifier } from '../../certs/src/verifier.ts'
import { validateUpdate } from '../../server/src/domain/validate-update.ts'
import { AppendClient } from '../../server/src/store/append-client.ts'
import { AppendBatcher } from './append-batcher.ts'
import { createBroker } from './broker.ts'
import type { PeerVerifier } from './identity.ts'
import { ingest, type IngestDeps } from './ingest.ts'
import { ingestBatch, type BatchDeps } from './batch-ingest.ts'
import { topicRouter } from './topic-handlers.ts'
import { ProofHandler } from './proof-handler.ts'
import { defaultTransparencySocket } from '../../server/src/store/transparency-client.ts'
import { CsRateBuckets, PublishPermits, SharedUpdateBudget } from './limits.ts'
import { createLogger, type GatewayLogger } from './logger.ts'
import { GatewayMetrics, type MetricsSnapshot } from './metrics.ts'
import { resolveOptions, type GatewayOptionsInput } from './options.ts'
import { GuardedConnection } from './packet-guard.ts'
import { StoreLink, type AppendConnector } from './store-link.ts'
import { TlsListener } from './tls-listener.ts'
import { reconcileForwarder } from './reconcile-handler.ts'
import path from 'node:path'
import { MaintOperation, type TlsMaterial } from '../../proto/src/types.ts'
import { startMaintSocket, type MaintSocket } from '../../server/src/store/maint-socket.ts'
import type { StoreLogger } from '../../server/src/store/store.ts'

/** What the daemon is given rather than builds (tests inject doubles; the CLI the defaults). */
export interface GatewayDeps {
  /** Opens the store's append socket; default: AppendClient.connect(storeSocket). */
  readonly connectStore?: AppendConnector
  /** Default: certs/'s verifier for CS certificates over `tls.caFile` and the CRL store. */
  readonly verifier?: PeerVerifier
  /** Default: a CrlStore over `tls.crlFile`, watching it. */
  readonly crl?: CrlStore
  readonly validate?: IngestDeps['validate']
  readonly logger?: GatewayLogger
  /** Milliseconds since the epoch (the date checked against 生年月日 and 異動年月日). */
  readonly now?: () => number
}

/** A running gateway. */
export interface Gateway {
  readonly port: number
  /** Stop accepting, close every link, the broker and the store socket. */
  close: () => Promise<void>
  /** Reload the CRL (SIGHUP); throws the coded error when the new CRL is refused (the old stays). */
  reloadCrl: () => Promise<void>
  /**
   * Rotate without restart (SPEC §7): a new server certificate and key, CA bundle (TLS and the
   * verifier), and/or the CRL file's new content (written by ken-maint, read and verified here).
   */
  rotateTls: (material: Partial<TlsMaterial>) => Promise<void>
  metrics: () => Promise<MetricsSnapshot>
  /** Every series in the Prometheus text format (the maintenance socket serves it). */
  metricsText: () => Promise<string>
}

export async function startGateway (input: GatewayOptionsInput, deps: GatewayDeps = {}): Promise<Gateway> {
  const opts = resolveOptions(input)
  const log = deps.logger ?? createLogger()
  const now = deps.now ?? Date.now
  const metrics = new GatewayMetrics()

  const caPem = await readFile(opts.tls.caFile, 'utf8')
  const crl = deps.crl ?? await CrlStore.open({ path: opts.tls.crlFile, issuers: caPem })
  const makeVerifier = (trustAnchors: string): PeerVerifier => createVerifier({
    trustAnchors,
    crl,
    expect: 'cs',
    staleCrl: opts.crlStale,
    clock: () => new Date(now()),
    ...(opts.municipalities === undefined ? {} : { allowedMunicipalities: new Set(opts.municipalities) }),
    onWarning: (w) => { log.warn('gateway.crl.warning', { code: w.code }) }
  })
  // Behind one reference, so a rotated CA bundle reaches the verifier as it reaches node:tls.
  let currentVerifier = deps.verifier ?? makeVerifier(caPem)
  const verifier: PeerVerifier = { verify: (leaf, chain) => currentVerifier.verify(leaf, chain) }

  const connectStore = deps.connectStore ?? (async () => {
    const client = await AppendClient.connect(opts.storeSocket)
    // The results stay as the store encoded them: they go on to the CS as they are (publishResult).
    return { append: async (items) => await client.appendEncoded(items), close: async () => { await client.close() } }
  })
  const store = new StoreLink(connectStore, { retryMs: opts.storeRetryMs, log, now })
  const batcher = new AppendBatcher(store, {
    maxBatchItems: opts.maxBatchItems,
    maxAppendsInFlight: opts.maxAppendsInFlight,
    onBatch: (items, ok) => { metrics.batch(items, ok) }
  })
  const ingestDeps: IngestDeps = {
    append: (item) => batcher.append(item),
    validate: deps.validate ?? validateUpdate,
    maxUpdateBytes: opts.maxUpdateBytes,
    juminhyoCheckDigit: opts.juminhyoCheckDigit,
    today: japanToday(now),
    log,
    metrics
  }
  const batchDeps: BatchDeps = { ...ingestDeps, maxBatchUpdates: opts.maxBatchUpdates }
  const proofs = new ProofHandler(defaultTransparencySocket(opts.storeSocket), log)
  const reconciler = reconcileForwarder(opts.reconcileSocket ?? path.join(path.dirname(opts.storeSocket), 'reconcile.sock'), log)
  const broker = await createBroker({
    ingest: topicRouter({
      update: async (identity, topic, payload) => ({ topic: identity.resultTopic, payload: (await ingest(identity, topic, payload, ingestDeps)).bytes }),
      updateBatch: async (identity, _topic, payload) => ({ topic: identity.batchResultTopic, payload: await ingestBatch(identity, payload, batchDeps) }),
      // A receipt request commits nothing; its answer goes to the CS's proof result topic.
      proof: async (identity, _topic, payload) => ({ topic: identity.proofResultTopic, payload: await proofs.answer(identity, payload) }),
      // SPEC §5.3: the PUBACK of a reconciliation chunk waits until it is durable at the store.
      reconcile: async (identity, _topic, payload) => ({ topic: identity.reconcileResultTopic, payload: Buffer.from(await reconciler.forward(identity, payload)) })
    }),
    connectTimeoutMs: opts.connectTimeoutMs,
    maxInflightPerCs: opts.maxInflightPerCs,
    maxBatchUpdates: opts.maxBatchUpdates,
    keepalive: opts.keepalive,
    log,
    metrics
  })

  const stopBehindListener = async (): Promise<void> => {
    await new Promise<void>((resolve) => { broker.close(() => { resolve() }) })
    await store.close()
    proofs.close()
    await reconciler.close()
    if (deps.crl === undefined) crl.close()
  }

  const buckets = new CsRateBuckets(opts.maxMessagesPerSecondPerCs, now)
  // gateway.maxInflightUpdates: what all links together hold between arrival and answer (limits.ts).
  const sharedUpdates = new SharedUpdateBudget(opts.maxInflightUpdates)
  const subscribeBuckets = new CsRateBuckets(opts.maxSubscriptionsPerSecondPerCs, now)
  const listener = await TlsListener.listen({
    host: opts.host,
    port: opts.port,
    files: opts.tls,
    handshakeTimeoutMs: opts.handshakeTimeoutMs,
    maxConnections: opts.maxConnections,
    maxConnectionsPerSecond: opts.maxConnectionsPerSecond,
    verifier,
    crl,
    crlInTls: opts.crlStale === 'fail',
    log,
    metrics,
    onConnection (socket, identity) {
      const code = identity.municipalityCode
      const permits = new PublishPermits(opts.maxInflightPerCs, buckets.of(code), (delta) => { metrics.inflight(code, delta) }, opts.maxInflightUpdatesPerCs, sharedUpdates)
      const conn = new GuardedConnection(socket, {
        identity,
        permits,
        subscribeBucket: subscribeBuckets.of(code),
        maxPacketBytes: opts.maxPacketBytes,
        connectTimeoutMs: opts.connectTimeoutMs,
        onViolation (err) {
          metrics.refused(err.code)
          log.warn('gateway.connection.guard_closed', { municipality: code, code: err.code })
        }
      })
      metrics.connectionOpened(code)
      conn.once('close', () => { metrics.connectionClosed(code) })
      broker.handle(conn)
    }
  }).catch(async (err: unknown) => {
    await stopBehindListener()
    throw err
  })
  const rotateTls = async (m: Partial<TlsMaterial>): Promise<void> => {
    const nonEmpty = (s: string | undefined): string | undefined => s === undefined || s === '' ? undefined : s
    const ca = nonEmpty(m.caPem)
    const next = ca === undefined || deps.verifier !== undefined ? undefined : makeVerifier(ca)
    listener.rotate({ ...(nonEmpty(m.certPem) === undefined ? {} : { cert: m.certPem }), ...(nonEmpty(m.keyPem) === undefined ? {} : { key: m.keyPem }), ...(ca === undefined ? {} : { ca }) })
    if (next !== undefined) currentVerifier = next
    if (nonEmpty(m.crlPem) !== undefined) await listener.reloadCrl()
  }
  let maint: MaintSocket | undefined
  if (opts.maintSocket !== undefined) {
    const startedAt = Date.now()
    maint = await startMaintSocket({
      [MaintOperation.HEALTH]: async () => ({ health: { daemon: 'gateway', ok: true, uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000), logPosition: 0, logHeadHash: '', detail: `${(await metrics.snapshot()).connections} CS links` } }),
      [MaintOperation.METRICS]: async () => ({ metricsText: await metrics.text() }),
      [MaintOperation.ROTATE_TLS]: async (r) => { await rotateTls(r.tls ?? {}); return {} }
    }, { socketPath: opts.maintSocket, eventPrefix: 'gateway.maint' }, maintLogger(log))
  }
  log.info('gateway.started', { host: opts.host, port: listener.port })

  let closing: Promise<void> | undefined
  return {
    port: listener.port,
    async close () {
      closing ??= (async () => {
        await maint?.close()
        await listener.close()
        await stopBehindListener()
        log.info('gateway.stopped')
      })()
      await closing
    },
    reloadCrl: async () => { await listener.reloadCrl() },
    rotateTls,
    metrics: async () => await metrics.snapshot(),
    metricsText: async () => await metrics.text()
  }
}

/** The maintenance socket logs through the gateway's logger: its events, and codes only. */
function maintLogger (log: GatewayLogger): StoreLogger {
  const event = (fields: Record<string, unknown>): 'gateway.maint.refused' | 'gateway.maint.failed' | 'gateway.maint.bad_frame' => {
    const e = String(fields.event)
    return e.endsWith('.refused') ? 'gateway.maint.refused' : e.endsWith('.bad_frame') ? 'gateway.maint.bad_frame' : 'gateway.maint.failed'
  }
  const code = (fields: Record<string, unknown>): { code?: string } => typeof fields.code === 'string' ? { code: fields.code } : {}
  return {
    info: (fields) => { log.info(event(fields), code(fields)) },
    warn: (fields) => { log.warn(event(fields), code(fields)) },
    error: (fields) => { log.error(event(fields), code(fields)) }
  }
}

/** Today in Japan (UTC+9, no daylight saving), recomputed at most once a second. */
function japanToday (now: () => number): () => string {
  let second = -1
  let today = ''
  return () => {
    const t = now()
    const s = Math.floor(t / 1000)
    if (s !== second) {
      second = s
      today = new Date(t + 9 * 3_600_000).toISOString().slice(0, 10)
    }
    return today
  }
}
