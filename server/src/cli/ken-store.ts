/**
 * ken-store — the store daemon and its offline tools (SPEC §4).
 *
 *   ken-store serve   --db DIR --socket PATH --key FILE [--outbox PATH] [--max-delay-ms N] [--max-entries N]
 *                     [--terminal-socket PATH --accounts FILE [--bootstrap FILE.json] [--idle-lock-seconds N] [--max-failures N] [--result-cap N] [--registry FILE.json] [--prefecture-name NAME] [--review-rules FILE.json]]
 *   ken-store verify  --db DIR [--threads N]      exit 0: the chain verifies; 1: it does not
 *   ken-store rebuild --db DIR --actor ID [--approver ID] [--note TEXT]
 *   ken-store checkpoint (--db DIR | --socket T) [--size N]            the signed note, exactly
 *   ken-store prove (--db DIR | --socket T) --position P [--size N]    inclusion proof (JSON)
 *   ken-store prove (--db DIR | --socket T) --from M [--to N]          consistency proof (JSON)
 *   ken-store public-key (--key FILE | --log-key FILE | --socket T)    the verifier key line
 * (T: the daemon's read-only transparency socket; docs/transparency-log.md)
 *   ken-store reconcile | mismatches | resolve | monthly --socket ADMIN …   (reconcile-commands.ts)
 *   ken-store backup-keygen --out DIR [--passphrase-file F]   the administrator's backup recipient key pair
 *   ken-store restore --from FILE --identity KEY [--passphrase-file F] --db NEW_DIR --key NEW_KEY_FILE --actor ID
 *
 * `ken-store serve --config FILE [--bootstrap FILE.json]` takes everything from the appliance configuration
 * (the systemd unit), the terminal socket and the review's rules (terminal.review) included.
 * serve also takes [--maint-socket PATH] [--backup-dir DIR --backup-recipient PUB [--backup-at HH:MM]
 * [--backup-generations N] [--backup-location TEXT] [--media-check-day 0-6]] (docs/backups.md).
 *
 * verify and rebuild need no appliance key (they read ciphertext and blind indexes only) and run
 * while the daemon is stopped (LevelDB allows one process). Output: one JSON object on stdout;
 * logs: JSON lines on stderr. Exit 2: usage or a KEN_ERR_* before the command could run.
 */
// The daemon, the store, the backup, the reconciliation and the transparency commands are imported
// where used: `verify` (SPEC §8: 5 M entries in < 10 s) and the other one-shot commands do not pay
// for loading what they do not run (the store's modules alone: ~0.4 s CPU, serial, before verify starts).
import { parseArgs } from 'node:util'
import { availableParallelism } from 'node:os'
import pino from 'pino'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { errors } from '../store/errors.ts'
import { parseVerifierKey, type NoteVerifier } from '../log/checkpoint/index.ts'
import { applyStoreV8Flags } from '../store/heap-flags.ts'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { StoreDaemonInput } from '../store/options.ts'
import type { ReviewRulesInput } from '../store/terminal/review-rules.ts'

const USAGE = 'usage: ken-store serve (--config FILE | --db DIR --socket PATH --key FILE [--outbox PATH] [--log-key FILE] [--log-origin NAME] [--checkpoint-interval-ms N] [--maint-socket PATH] [--backup-dir DIR --backup-recipient PUB [--backup-at HH:MM]]) | verify --db DIR [--threads N] [--public-key LINE | --log-key FILE] | rebuild --db DIR --actor ID | checkpoint|prove|public-key (see docs/transparency-log.md) | reconcile|mismatches|resolve|monthly --socket ADMIN --actor ID … | backup-keygen --out DIR | restore --from FILE --identity KEY --db NEW_DIR --key NEW_KEY_FILE --actor ID (docs/backups.md)'

/** The commands on a store directory (`--db`), none of them a reconciliation command. */
const LOCAL_COMMANDS: readonly string[] = ['serve', 'verify', 'restore', 'rebuild']

const logger = pino({ base: { service: 'ken-store' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }))

async function main (argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      db: { type: 'string' },
      socket: { type: 'string' },
      outbox: { type: 'string' },
      key: { type: 'string' },
      'max-delay-ms': { type: 'string' },
      'max-entries': { type: 'string' },
      'retention-years': { type: 'string' },
      'act-retention-years': { type: 'string' },
      threads: { type: 'string' },
      actor: { type: 'string' },
      approver: { type: 'string' },
      note: { type: 'string' },
      'log-key': { type: 'string' },
      'log-origin': { type: 'string' },
      'checkpoint-interval-ms': { type: 'string' },
      'public-key': { type: 'string' },
      size: { type: 'string' },
      position: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      municipality: { type: 'string' },
      month: { type: 'string' },
      open: { type: 'boolean' },
      run: { type: 'string' },
      index: { type: 'string' },
      status: { type: 'string' },
      'fixed-at': { type: 'string' },
      'maint-socket': { type: 'string' },
      'backup-dir': { type: 'string' },
      'backup-recipient': { type: 'string' },
      'backup-at': { type: 'string' },
      'backup-generations': { type: 'string' },
      'backup-location': { type: 'string' },
      'media-check-day': { type: 'string' },
      'passphrase-file': { type: 'string' },
      identity: { type: 'string' },
      config: { type: 'string' },
      'terminal-socket': { type: 'string' },
      'prefecture-name': { type: 'string' },
      accounts: { type: 'string' },
      bootstrap: { type: 'string' },
      'idle-lock-seconds': { type: 'string' },
      'max-failures': { type: 'string' },
      'result-cap': { type: 'string' },
      registry: { type: 'string' },
      'review-rules': { type: 'string' }
    }
  })
  if (command === 'serve' && values.config !== undefined) {
    const [{ storeOptionsFrom }, { loadConfig }] = await Promise.all([import('../store/from-config.ts'), import('../../../firmware-config/src/load.ts')])
    const fromConfig = storeOptionsFrom(loadConfig(values.config))
    // Set-up (A1): the first administrator(s), once, on the appliance too: `serve --config FILE --bootstrap FILE.json`.
    const options = values.bootstrap === undefined || fromConfig.terminal === undefined
      ? fromConfig
      : { ...fromConfig, terminal: { ...fromConfig.terminal, bootstrap: JSON.parse(await readFile(values.bootstrap, 'utf8')) as unknown as [] } }
    if (options.backup === undefined) logger.warn({ event: 'store.backup.not_configured', code: 'KEN_ERR_STORE_BACKUP_NOT_CONFIGURED' }, 'no backup recipient key: no backups are taken')
    return await serveWith(options)
  }
  if (command === 'backup-keygen') {
    if (values.out === undefined) return usage('--out is required')
    return await backupKeygen(values.out, values['passphrase-file'])
  }
  if (command === 'checkpoint' || command === 'prove' || command === 'public-key') return await (await import('./transparency-commands.ts')).runTransparencyCommand(command, values, logger, usage)
  const { RECONCILE_COMMANDS, reconcileCommand } = LOCAL_COMMANDS.includes(command ?? '') ? { RECONCILE_COMMANDS: [] } : await import('./reconcile-commands.ts')
  if ((RECONCILE_COMMANDS as readonly string[]).includes(command ?? '') && reconcileCommand !== undefined) {
    try {
      return await reconcileCommand(command ?? '', values, (s) => { process.stdout.write(`${s}\n`) })
    } catch (err) {
      if ((err as { usage?: boolean }).usage === true) return usage((err as Error).message)
      throw err
    }
  }
  const db = values.db
  if (db === undefined) return usage('--db is required')
  switch (command) {
    case 'serve':
      return await serve(db, values)
    case 'verify':
      return await verify(db, values.threads === undefined ? availableParallelism() : Number(values.threads), await verifierOf(values))
    case 'restore':
      if (values.from === undefined || values.identity === undefined || values.key === undefined || values.actor === undefined) return usage('restore needs --from, --identity, --key and --actor')
      return await restore(db, { from: values.from, identity: values.identity, key: values.key, actor: values.actor, passphraseFile: values['passphrase-file'], verifier: await verifierOf(values) })
    case 'rebuild':
      if (values.actor === undefined) return usage('--actor is required')
      return await rebuild(db, { actor: values.actor, approver: values.approver ?? '', note: values.note ?? 'ken-store rebuild' })
    default:
      return usage(`unknown command ${command ?? ''}`)
  }
}

async function serve (db: string, all: Readonly<Record<string, string | boolean | undefined>>): Promise<number> {
  const values: Readonly<Record<string, string | undefined>> = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]))
  if (values.socket === undefined || values.key === undefined) return usage('serve needs --socket and --key')
  return await serveWith({
    dbPath: db,
    socketPath: values.socket,
    keyFile: values.key,
    ...(values.outbox === undefined ? {} : { outboxSocketPath: values.outbox }),
    ...(values['max-delay-ms'] === undefined ? {} : { maxDelayMs: Number(values['max-delay-ms']) }),
    ...(values['max-entries'] === undefined ? {} : { maxEntries: Number(values['max-entries']) }),
    ...(values['retention-years'] === undefined ? {} : { retentionRecordYears: Number(values['retention-years']) }),
    ...(values['act-retention-years'] === undefined ? {} : { retentionActYears: Number(values['act-retention-years']) }),
    ...(values['log-key'] === undefined ? {} : { logKeyFile: values['log-key'] }),
    ...(values['log-origin'] === undefined ? {} : { logOrigin: values['log-origin'] }),
    ...(values['checkpoint-interval-ms'] === undefined ? {} : { checkpointIntervalMs: Number(values['checkpoint-interval-ms']) }),
    ...(values['maint-socket'] === undefined ? {} : { maintSocketPath: values['maint-socket'] }),
    ...(values['backup-dir'] === undefined || values['backup-recipient'] === undefined
      ? {}
      : {
          backup: {
            dir: values['backup-dir'],
            recipientFile: values['backup-recipient'],
            ...(values['backup-at'] === undefined ? {} : { dailyAt: values['backup-at'] }),
            ...(values['backup-generations'] === undefined ? {} : { generations: Number(values['backup-generations']) }),
            ...(values['backup-location'] === undefined ? {} : { location: values['backup-location'] }),
            ...(values['media-check-day'] === undefined ? {} : { weeklyCheckDay: Number(values['media-check-day']) })
          }
        }),
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
            ...(values.registry === undefined ? {} : { registryFile: values.registry }),
            ...(values['prefecture-name'] === undefined ? {} : { prefectureName: values['prefecture-name'] }),
            // Without --config (which carries terminal.review): the rules as JSON, validated with the other options.
            ...(values['review-rules'] === undefined ? {} : { reviewRules: JSON.parse(await readFile(values['review-rules'], 'utf8')) as unknown as ReviewRulesInput })
          }
        })
  })
}

async function serveWith (options: StoreDaemonInput): Promise<number> {
  applyStoreV8Flags()
  const { startStoreDaemon } = await import('../store/daemon.ts')
  const daemon = await startStoreDaemon(options, {
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

/** The key verify checks checkpoint signatures with: given as a line, or read from the signing key file. */
async function verifierOf (values: Readonly<Record<string, string | boolean | undefined>>): Promise<NoteVerifier | undefined> {
  const publicKey = values['public-key']
  const logKey = values['log-key']
  if (typeof publicKey === 'string') return parseVerifierKey(publicKey)
  if (typeof logKey === 'string') return (await (await import('../store/log-signing-key.ts')).loadLogSigningKey(logKey)).verifier
  return undefined
}

async function verify (db: string, threads: number, verifierKey: NoteVerifier | undefined): Promise<number> {
  // Not through LevelStore: verify-directory.ts opens only what verify reads (and says why).
  const { verifyDirectory } = await import('../store/verify-directory.ts')
  const result = await verifyDirectory(db, { threads, ...(verifierKey === undefined ? {} : { verifierKey }) })
  process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: Math.round(result.elapsedMs) })}\n`)
  logger.info({ event: result.ok ? 'store.verify.ok' : 'store.verify.broken', entries: result.entries, position: result.issue?.position, kind: result.issue?.kind, tree: result.tree.issue?.kind, checkpoint: result.tree.issue?.size, ms: Math.round(result.elapsedMs) }, 'verify finished')
  return result.ok ? 0 : 1
}

async function rebuild (db: string, by: { actor: string, approver: string, note: string }): Promise<number> {
  const { LevelStore } = await import('../store/level-store.ts')
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

/** Write the administrator's recipient key pair: the public half goes to the store, the private half to the administrator. */
async function backupKeygen (out: string, passphraseFile: string | undefined): Promise<number> {
  const passphrase = passphraseFile === undefined ? undefined : (await readFile(passphraseFile, 'utf8')).trim()
  const { generateRecipientKey } = await import('../store/backup/recipient-key.ts')
  const pair = generateRecipientKey(passphrase)
  await mkdir(out, { recursive: true, mode: 0o700 })
  await writeFile(path.join(out, 'backup-recipient.pub'), pair.publicPem, { mode: 0o644, flag: 'wx' })
  await writeFile(path.join(out, 'backup-recipient.key'), pair.privatePem, { mode: 0o600, flag: 'wx' })
  process.stdout.write(`${JSON.stringify({ publicKey: path.join(out, 'backup-recipient.pub'), privateKey: path.join(out, 'backup-recipient.key'), encrypted: passphrase !== undefined })}\n`)
  return 0
}

async function restore (db: string, o: { from: string, identity: string, key: string, actor: string, passphraseFile: string | undefined, verifier: NoteVerifier | undefined }): Promise<number> {
  const passphrase = o.passphraseFile === undefined ? undefined : (await readFile(o.passphraseFile, 'utf8')).trim()
  const [{ readIdentityKey }, { restoreBackup }] = await Promise.all([import('../store/backup/recipient-key.ts'), import('../store/backup/restore-backup.ts')])
  const identity = readIdentityKey(await readFile(o.identity), passphrase)
  const started = performance.now()
  let lastAt = 0
  const result = await restoreBackup({
    file: o.from,
    identity,
    target: db,
    applianceKeyFile: o.key,
    actor: o.actor,
    verifyCheckpoint: async (store, _head, note) => {
      // SPEC §7: the restored log must hold against the backup's signed checkpoint — its signature under
      // the log's verifier key the administrator gives (--public-key / --log-key), and its tree root.
      if (note === undefined) {
        if (o.verifier !== undefined) throw errors.KEN_ERR_STORE_RESTORE_VERIFY('the backup carries no signed checkpoint')
        return
      }
      if (o.verifier === undefined) {
        logger.warn({ event: 'store.restore.checkpoint_unsigned', code: 'KEN_ERR_STORE_RESTORE_VERIFY' }, 'no --public-key: the checkpoint signature is not checked')
        return
      }
      const report = await store.verifyAgainstCheckpoint(note, o.verifier)
      if (!report.ok) throw errors.KEN_ERR_STORE_RESTORE_VERIFY(`${report.issue?.kind ?? 'checkpoint'} at ${report.issue?.size ?? '?'}`)
    },
    onProgress: (p) => {
      const now = performance.now()
      if (p.phase === 'decrypt' && now - lastAt < 1000 && p.position < p.of) return
      lastAt = now
      logger.info({ event: 'store.restore.progress', phase: p.phase, position: p.position, of: p.of }, 'restore progress')
    }
  })
  process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: Math.round(performance.now() - started) })}\n`)
  return 0
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
