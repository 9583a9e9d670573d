/**
 * ken-store — the store daemon and its offline tools (SPEC §4).
 *
 *   ken-store serve   --db DIR --socket PATH --key FILE [--max-delay-ms N] [--max-entries N]
 *                     [--terminal-socket PATH --accounts FILE [--bootstrap FILE.json] [--idle-lock-seconds N] [--max-failures N] [--result-cap N] [--registry FILE.json]]
 *   ken-store verify  --db DIR [--threads N]      exit 0: the chain verifies; 1: it does not
 *   ken-store rebuild --db DIR --actor ID [--approver ID] [--note TEXT]
 *
 * verify and rebuild need no appliance key (they read ciphertext and blind indexes only) and run
 * while the daemon is stopped (LevelDB allows one process). Output: one JSON object on stdout;
 * logs: JSON lines on stderr. Exit 2: usage or a KEN_ERR_* before the command could run.
 */
import { parseArgs } from 'node:util'
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import pino from 'pino'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { startStoreDaemon } from '../store/daemon.ts'
import { LevelStore } from '../store/level-store.ts'

const USAGE = 'usage: ken-store serve --db DIR --socket PATH --key FILE | verify --db DIR [--threads N] | rebuild --db DIR --actor ID'

const logger = pino({ base: { service: 'ken-store' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }))

async function main (argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      db: { type: 'string' },
      socket: { type: 'string' },
      key: { type: 'string' },
      'max-delay-ms': { type: 'string' },
      'max-entries': { type: 'string' },
      threads: { type: 'string' },
      actor: { type: 'string' },
      approver: { type: 'string' },
      note: { type: 'string' },
      'terminal-socket': { type: 'string' },
      accounts: { type: 'string' },
      bootstrap: { type: 'string' },
      'idle-lock-seconds': { type: 'string' },
      'max-failures': { type: 'string' },
      'result-cap': { type: 'string' },
      registry: { type: 'string' }
    }
  })
  const db = values.db
  if (db === undefined) return usage('--db is required')
  switch (command) {
    case 'serve':
      return await serve(db, values)
    case 'verify':
      return await verify(db, values.threads === undefined ? availableParallelism() : Number(values.threads))
    case 'rebuild':
      if (values.actor === undefined) return usage('--actor is required')
      return await rebuild(db, { actor: values.actor, approver: values.approver ?? '', note: values.note ?? 'ken-store rebuild' })
    default:
      return usage(`unknown command ${command ?? ''}`)
  }
}

async function serve (db: string, values: Record<string, string | undefined>): Promise<number> {
  if (values.socket === undefined || values.key === undefined) return usage('serve needs --socket and --key')
  const daemon = await startStoreDaemon({
    dbPath: db,
    socketPath: values.socket,
    keyFile: values.key,
    ...(values['max-delay-ms'] === undefined ? {} : { maxDelayMs: Number(values['max-delay-ms']) }),
    ...(values['max-entries'] === undefined ? {} : { maxEntries: Number(values['max-entries']) }),
    ...(values['terminal-socket'] === undefined
      ? {}
      : {
          terminal: {
            socketPath: values['terminal-socket'],
            accountsFile: values.accounts ?? `${db}.accounts.json`,
            // The set-up accounts (A1 bootstrap): a JSON array of { accountId, role, department, branch, purposes, certificateFile, pinFile }.
            ...(values.bootstrap === undefined ? {} : { bootstrap: JSON.parse(await readFile(values.bootstrap, 'utf8')) as unknown as [] }),
            ...(values['idle-lock-seconds'] === undefined ? {} : { idleLockSeconds: Number(values['idle-lock-seconds']) }),
            ...(values['max-failures'] === undefined ? {} : { maxFailures: Number(values['max-failures']) }),
            ...(values['result-cap'] === undefined ? {} : { resultCap: Number(values['result-cap']) }),
            ...(values.registry === undefined ? {} : { registryFile: values.registry })
          }
        })
  }, {
    logger,
    // A failed fsync leaves the files in an unknown state: exit, and let the supervisor restart us (recovery).
    onFatal: () => { void daemon.close().finally(() => process.exit(70)) }
  })
  return await new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ event: 'store.signal', signal }, 'stopping on signal')
      daemon.close().then(() => resolve(0), (err: unknown) => {
        logger.error({ event: 'store.shutdown_failed', code: isKenError(err) ? err.code : 'unknown' }, 'shutdown failed')
        resolve(1)
      })
    }
    process.once('SIGTERM', () => stop('SIGTERM'))
    process.once('SIGINT', () => stop('SIGINT'))
  })
}

async function verify (db: string, threads: number): Promise<number> {
  const store = new LevelStore({ location: db, logger, readOnly: true, createIfMissing: false })
  await store.open()
  try {
    const result = await store.verify({ threads })
    process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: Math.round(result.elapsedMs) })}\n`)
    logger.info({ event: result.ok ? 'store.verify.ok' : 'store.verify.broken', entries: result.entries, position: result.issue?.position, kind: result.issue?.kind, ms: Math.round(result.elapsedMs) }, 'verify finished')
    return result.ok ? 0 : 1
  } finally {
    await store.close()
  }
}

async function rebuild (db: string, by: { actor: string, approver: string, note: string }): Promise<number> {
  const store = new LevelStore({ location: db, logger, createIfMissing: false })
  await store.open()
  try {
    const started = performance.now()
    const { replayed, head } = await store.rebuild(by)
    process.stdout.write(`${JSON.stringify({ replayed, head: { position: head.position, hash: head.hash.toString('hex') }, elapsedMs: Math.round(performance.now() - started) })}\n`)
    return 0
  } finally {
    await store.close()
  }
}

function usage (why: string): number {
  process.stderr.write(`${why}\n${USAGE}\n`)
  return 2
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  const code = isKenError(err) ? err.code : 'unknown'
  // A broken chain found while opening (recovery) is what verify reports too: exit 1, not 2.
  logger.error({ event: 'store.cli.failed', code, message: isKenError(err) ? err.message : String(err) }, 'ken-store failed')
  process.exit(code === 'KEN_ERR_STORE_CHAIN_BROKEN' ? 1 : 2)
})
