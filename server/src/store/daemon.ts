/**
 * The store daemon (SPEC §4): opens the LevelDB store (recovering the views' tail if needed), then
 * serves the append socket. `close()` stops taking connections, finishes every queued and in-flight
 * group, answers what was received, and closes the database — what SIGTERM does.
 */
import pino, { type Logger } from 'pino'
import type { KenError } from '../../../proto/src/ken-error.ts'
import { namePoolThreads } from './pool-thread-names.ts'
import { loadApplianceKey } from './appliance-key.ts'
import { defaultLogKeyFile, loadLogSigningKey } from './log-signing-key.ts'
import { LevelStore } from './level-store.ts'
import { startAppendServer } from './append-server.ts'
import { RetentionSchedule } from './retention-schedule.ts'
import { startTransparencyServer, type TransparencyServer } from './transparency-server.ts'
import { defaultTransparencySocket } from './transparency-client.ts'
import { DEFAULTS, parseDaemonOptions, type StoreDaemonInput } from './options.ts'
import { startOutboxServer, type OutboxServer } from './outbox-server.ts'
import { queryNational, type NationalQueryInput, type NationalQueryResult } from './national-query.ts'
import { errors } from './errors.ts'
import { startReconciliation, type Reconciliation } from './reconcile/start.ts'
import { readFile } from 'node:fs/promises'
import { BackupService } from './backup/backup-service.ts'
import { readRecipientPublicKey } from './backup/recipient-key.ts'
import { startStoreMaintServer } from './maint-server.ts'
import type { MaintSocket } from './maint-socket.ts'
import { StoreMetrics } from './store-metrics.ts'
import { startTerminal } from './terminal/start.ts'
import type { NationalQuery } from './terminal/national-query.ts'
import { nationalLinkQuery } from './terminal/national-link.ts'

export interface StoreDaemonDeps {
  /** JSON logger (default: pino to stderr). Lines carry an `event` and never personal data. */
  readonly logger?: Logger
  readonly clock?: () => Date
  /** A commit failed and the store stopped writing: the daemon must exit and be restarted (default: log only). */
  readonly onFatal?: (err: KenError) => void
  /** The national server's search (ken-national, issue 12) for the terminal; absent: "unavailable". */
  readonly national?: NationalQuery
}

export interface StoreDaemon {
  readonly store: LevelStore
  readonly socketPath: string
  readonly transparencySocketPath: string
  /** The outbox socket for ken-national, when configured (SPEC §5.1). */
  readonly outbox: OutboxServer | undefined
  /**
   * 照会 to the national server for a person outside the prefecture, recorded like a search
   * (national-query.ts). The terminal calls this. @throws KEN_ERR_STORE_NATIONAL_*
   */
  queryNational: (input: NationalQueryInput) => Promise<NationalQueryResult>
  readonly reconcileSocketPath: string
  readonly reconcileAdminSocketPath: string
  readonly metrics: StoreMetrics
  /** Present when the options name a backup directory and recipient. */
  readonly backups: BackupService | undefined
  close: () => Promise<void>
}

/** Start the daemon. @throws KEN_ERR_STORE_* (options, key file, socket path, recovery) */
export async function startStoreDaemon (input: StoreDaemonInput, deps: StoreDaemonDeps = {}): Promise<StoreDaemon> {
  const options = parseDaemonOptions(input)
  const logger = deps.logger ?? defaultLogger()
  const started = performance.now()
  logger.info({ event: 'store.start', db: options.dbPath, socket: options.socketPath }, 'store daemon starting')
  const applianceKey = await loadApplianceKey(options.keyFile)
  // SPEC §4: the log-signing key is made at set-up beside the appliance key, outside the database.
  const logSigner = await loadLogSigningKey(options.logKeyFile ?? defaultLogKeyFile(options.keyFile), options.logOrigin, options.logOrigin ?? DEFAULTS.logOrigin)
  let opened: LevelStore | undefined
  const metrics = new StoreMetrics({ logPosition: () => opened?.head().position ?? 0, dbPath: options.dbPath, checkpointAgeSeconds: () => opened?.checkpointAgeSeconds(), ...(options.outboxSocketPath === undefined ? {} : { outboxConfirmed: async () => await opened?.outboxConfirmed().catch(() => undefined) }) })
  const store = new LevelStore({
    location: options.dbPath,
    applianceKey,
    maxDelayMs: options.maxDelayMs,
    maxEntries: options.maxEntries,
    cacheSize: options.cacheSize,
    prepareKeys: true,
    logSigner,
    checkpointIntervalMs: options.checkpointIntervalMs,
    logger,
    onGroup: (items, seconds) => { metrics.group(items, seconds) },
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    onFatal: (err) => {
      logger.fatal({ event: 'store.fatal', code: err.code }, 'commit failed; the daemon must restart')
      deps.onFatal?.(err)
    }
  })
  applianceKey.fill(0)
  await store.open()
  // libuv's pool threads named `uv-pool`: per-thread CPU then tells LevelDB's writes from V8's GC
  // (pool-thread-names.ts; bench/thread-cpu.ts). Before 'store.ready', which callers wait for.
  await namePoolThreads()
  opened = store
  let server
  let transparency: TransparencyServer
  const transparencySocketPath = options.transparencySocketPath ?? defaultTransparencySocket(options.socketPath)
  let maint: MaintSocket | undefined
  let backups: BackupService | undefined
  try {
    if (options.backup !== undefined) {
      const b = options.backup
      backups = new BackupService(store, {
        dir: b.dir,
        recipient: readRecipientPublicKey(await readFile(b.recipientFile)),
        applianceKey: async () => await loadApplianceKey(options.keyFile, { create: false }),
        generations: b.generations,
        location: b.location,
        ...(b.dailyAt === undefined ? {} : { dailyAt: b.dailyAt }),
        ...(b.weeklyCheckDay === undefined ? {} : { weeklyCheckDay: b.weeklyCheckDay }),
        ...(deps.clock === undefined ? {} : { clock: deps.clock }),
        onBackup: (ok, at) => { metrics.backup(ok, at) },
        // SPEC §7: each backup carries the newest signed checkpoint its head covers; restore holds it to that.
        checkpointAt: async (head) => (await store.transparency.atOrBefore(head.position))?.note
      }, logger)
      await backups.start()
    }
    server = await startAppendServer(store, {
      socketPath: options.socketPath,
      socketMode: options.socketMode,
      maxFrameBytes: options.maxFrameBytes,
      maxPendingPerConnection: options.maxPendingPerConnection,
      onAnswered: (items, seconds, response) => { metrics.answered(items, seconds, response.results, response.errorCode) }
    }, logger)
    if (options.maintSocketPath !== undefined) maint = await startStoreMaintServer({ store, metrics, backups, startedAt: Date.now() }, options.maintSocketPath, logger)
  } catch (err) {
    backups?.stop()
    await server?.close()
    await store.close()
    throw err
  }
  try {
    transparency = await startTransparencyServer(store, { socketPath: transparencySocketPath, socketMode: options.socketMode }, logger)
  } catch (err) {
    backups?.stop()
    await maint?.close()
    await server.close()
    await store.close()
    throw err
  }
  let reconciliation: Reconciliation
  try {
    reconciliation = await startReconciliation(store, options, logger, deps.clock, (result, kinds) => { metrics.reconcileRun(result, kinds) })
  } catch (err) {
    backups?.stop()
    await maint?.close()
    await transparency.close()
    await server.close()
    await store.close()
    throw err
  }
  let outbox: OutboxServer | undefined
  if (options.outboxSocketPath !== undefined) {
    try {
      outbox = await startOutboxServer(store, { socketPath: options.outboxSocketPath, socketMode: options.socketMode, maxFrameBytes: options.maxFrameBytes }, logger)
    } catch (err) {
      backups?.stop()
      await maint?.close()
      await reconciliation.close()
      await transparency.close()
      await server.close()
      await store.close()
      throw err
    }
  }
  // SPEC §2.5: what is past its term is erased automatically, by the store that holds the keys.
  const retention = new RetentionSchedule(store, { recordYears: options.retentionRecordYears, actYears: options.retentionActYears, tempLimitMs: options.tempLimitMs }, { clock: deps.clock ?? (() => new Date()), logger })
  retention.start(options.retentionCheckMs)
  let terminal
  try {
    // SPEC §6: a person not in the file is searched at the national server, through ken-national.
    const national = deps.national ?? (outbox === undefined ? undefined : nationalLinkQuery(store, outbox, options.nationalQueryTimeoutMs))
    terminal = options.terminal === undefined ? undefined : await startTerminal(store, options.terminal, { logger, mismatches: reconciliation.mismatches, ...(deps.clock === undefined ? {} : { clock: deps.clock }), ...(national === undefined ? {} : { national }) })
  } catch (err) {
    backups?.stop()
    await maint?.close()
    await outbox?.close()
    await reconciliation.close()
    await transparency.close()
    await server.close()
    await store.close()
    throw err
  }
  const terminalServer = terminal
  const head = store.head()
  logger.info({ event: 'store.log_key', verifierKey: logSigner.verifier.line }, 'checkpoints are signed; auditors verify them with this key')
  logger.info({ event: 'store.ready', position: head.position, ms: Math.round(performance.now() - started) }, 'store daemon accepting appends')
  // Every table of keys/ and views/ opened in the background, so no terminal lookup after a start pays
  // one (level-store.ts WARMED); close stops it.
  void store.warmTables()
  let closing: Promise<void> | undefined
  const append = server
  return {
    store,
    socketPath: options.socketPath,
    transparencySocketPath,
    outbox,
    queryNational: async (input) => {
      if (outbox === undefined) throw errors.KEN_ERR_STORE_NATIONAL_NO_LINK('the store was started without an outbox socket')
      return await queryNational(store, outbox, input, options.nationalQueryTimeoutMs)
    },
    reconcileSocketPath: reconciliation.socketPath,
    reconcileAdminSocketPath: reconciliation.adminSocketPath,
    metrics,
    backups,
    close: async () => {
      closing ??= (async () => {
        logger.info({ event: 'store.shutdown', connections: append.connections }, 'store daemon stopping')
        backups?.stop()
        await maint?.close()
        await append.stopAccepting()
        await retention.stop()
        await transparency.close()
        await outbox?.stopAccepting()
        await reconciliation.close()
        await terminalServer?.close()
        // Order: the store drains (every received request commits), then the answers go out.
        await store.close()
        await append.close()
        await outbox?.close()
        logger.info({ event: 'store.closed', position: store.head().position }, 'store daemon stopped')
      })()
      await closing
    }
  }
}

function defaultLogger (): Logger {
  return pino({ base: { service: 'ken-store' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }))
}

