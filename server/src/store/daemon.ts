/**
 * The store daemon (SPEC §4): opens the LevelDB store (recovering the views' tail if needed), then
 * serves the append socket. `close()` stops taking connections, finishes every queued and in-flight
 * group, answers what was received, and closes the database — what SIGTERM does.
 */
import pino, { type Logger } from 'pino'
import type { KenError } from '../../../proto/src/ken-error.ts'
import { loadApplianceKey } from './appliance-key.ts'
import { LevelStore } from './level-store.ts'
import { startAppendServer } from './append-server.ts'
import { parseDaemonOptions, type StoreDaemonInput } from './options.ts'
import { startTerminal } from './terminal/start.ts'
import type { NationalQuery } from './terminal/national-query.ts'

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
  close: () => Promise<void>
}

/** Start the daemon. @throws KEN_ERR_STORE_* (options, key file, socket path, recovery) */
export async function startStoreDaemon (input: StoreDaemonInput, deps: StoreDaemonDeps = {}): Promise<StoreDaemon> {
  const options = parseDaemonOptions(input)
  const logger = deps.logger ?? defaultLogger()
  const started = performance.now()
  logger.info({ event: 'store.start', db: options.dbPath, socket: options.socketPath }, 'store daemon starting')
  const applianceKey = await loadApplianceKey(options.keyFile)
  const store = new LevelStore({
    location: options.dbPath,
    applianceKey,
    maxDelayMs: options.maxDelayMs,
    maxEntries: options.maxEntries,
    cacheSize: options.cacheSize,
    prepareKeys: true,
    logger,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    onFatal: (err) => {
      logger.fatal({ event: 'store.fatal', code: err.code }, 'commit failed; the daemon must restart')
      deps.onFatal?.(err)
    }
  })
  applianceKey.fill(0)
  await store.open()
  let server
  let terminal
  try {
    server = await startAppendServer(store, { socketPath: options.socketPath, socketMode: options.socketMode, maxFrameBytes: options.maxFrameBytes, maxPendingPerConnection: options.maxPendingPerConnection }, logger)
    terminal = options.terminal === undefined ? undefined : await startTerminal(store, options.terminal, { logger, ...(deps.clock === undefined ? {} : { clock: deps.clock }), ...(deps.national === undefined ? {} : { national: deps.national }) }, options.socketMode)
  } catch (err) {
    await server?.close()
    await store.close()
    throw err
  }
  const terminalServer = terminal
  const head = store.head()
  logger.info({ event: 'store.ready', position: head.position, ms: Math.round(performance.now() - started) }, 'store daemon accepting appends')
  let closing: Promise<void> | undefined
  const append = server
  return {
    store,
    socketPath: options.socketPath,
    close: async () => {
      closing ??= (async () => {
        logger.info({ event: 'store.shutdown', connections: append.connections }, 'store daemon stopping')
        await append.stopAccepting()
        await terminalServer?.close()
        // Order: the store drains (every received request commits), then the answers go out.
        await store.close()
        await append.close()
        logger.info({ event: 'store.closed', position: store.head().position }, 'store daemon stopped')
      })()
      await closing
    }
  }
}

function defaultLogger (): Logger {
  return pino({ base: { service: 'ken-store' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }))
}

