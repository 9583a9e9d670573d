/**
 * First-run set-up of the demo appliance (`npm start`): a configuration file under the state
 * directory (hardened defaults; only the state directory and the port are written down), the
 * development PKI for every configured municipality, and the directories the daemons need.
 * Idempotent: a second start reuses what is there.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig, resolvePaths, type Config, type ResolvedPaths } from '../../../firmware-config/src/index.ts'
import { devPki } from '../../../certs/src/index.ts'
import { nationalPki, type NationalPki } from '../../../tests/sim/national/ca.ts'
import { generateRecipientKey } from '../store/backup/recipient-key.ts'
import { DEMO_PEOPLE } from './demo-terminal.ts'

export interface DemoSetup {
  readonly configFile: string
  readonly config: Config
  readonly paths: ResolvedPaths
  readonly logDir: string
  /** What was created on this start (PKI files), empty when everything was there. */
  readonly created: readonly string[]
  /** The national-server simulator's own PKI (its CA is `national.caFile`, SPEC §5.1). */
  readonly national: NationalPki
  /** The development administrator's backup key (private; restores only). */
  readonly adminKey: string
}

/** Prepare `stateDir` (absolute or relative to the working directory). */
export async function prepareDemo (stateDir: string, opts: { port?: number, maintPort?: number, terminalPort?: number } = {}): Promise<DemoSetup> {
  const state = path.resolve(stateDir)
  mkdirSync(state, { recursive: true, mode: 0o750 })
  const configFile = path.join(state, 'config.json')
  if (!existsSync(configFile) || opts.port !== undefined || opts.maintPort !== undefined || opts.terminalPort !== undefined) {
    // Every simulated CS connects from 127.0.0.1; in the field each CS has its own address, and the
    // per-address connection rate limit (default 10/s) would make 60 CS queue for their first link.
    const gateway: Record<string, unknown> = { maxConnectionsPerSecond: 1000 }
    if (opts.port !== undefined) gateway.port = opts.port
    const doc: Record<string, unknown> = { paths: { stateDir: state }, gateway, ...(opts.maintPort === undefined ? {} : { management: { port: opts.maintPort } }), ...(opts.terminalPort === undefined ? {} : { terminal: { port: opts.terminalPort } }) }
    writeFileSync(configFile, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o640 })
  }
  const config = loadConfig(configFile)
  const paths = resolvePaths(config)
  for (const dir of [paths.dbDir, path.dirname(paths.storeSocket), path.dirname(paths.outboxSocket), path.dirname(paths.applianceKeyFile)]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  }
  const logDir = path.join(state, 'logs')
  mkdirSync(logDir, { recursive: true, mode: 0o750 })
  const { created } = await devPki(paths.pkiDir, config.prefecture.municipalities.map((m) => m.code), { nationalClient: config.prefecture.code, people: DEMO_PEOPLE })
  const national = await nationalPki(path.dirname(path.resolve(paths.stateDir, config.national.caFile)))
  // The administrator's backup key pair (docs/maintenance.md): the store gets the public half; the
  // private half is the administrator's, for `ken-store restore` — never the technician's.
  const adminKey = path.join(state, 'admin', 'backup-recipient.key')
  if (!existsSync(paths.backupRecipientFile)) {
    const pair = generateRecipientKey()
    mkdirSync(path.dirname(adminKey), { recursive: true, mode: 0o700 })
    writeFileSync(adminKey, pair.privatePem, { mode: 0o600 })
    writeFileSync(paths.backupRecipientFile, pair.publicPem, { mode: 0o644 })
  }
  return { configFile, config, paths, logDir, created, national, adminKey }
}
