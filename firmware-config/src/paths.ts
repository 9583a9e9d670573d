/**
 * Where the appliance keeps its files. `paths.stateDir` is resolved against the working directory
 * (systemd: WorkingDirectory=); every other relative path is under the state directory, so moving
 * the state is one key.
 */
import path from 'node:path'
import type { Config } from './load.ts'
import { errors } from './errors.ts'

/** The absolute paths the daemons use. */
export interface ResolvedPaths {
  readonly stateDir: string
  readonly pkiDir: string
  readonly dbDir: string
  readonly applianceKeyFile: string
  readonly storeSocket: string
  readonly storeMaintSocket: string
  readonly gatewayMaintSocket: string
  readonly terminalMaintSocket: string
  readonly nationalMaintSocket: string
  readonly backupDir: string
  readonly backupRecipientFile: string
  readonly logDir: string
  readonly outboxSocket: string
  readonly terminalSocket: string
  readonly terminalAccountsFile: string
  /** Absent: the built-in development registry. */
  readonly purposesRegistryFile: string | undefined
}

// sun_path is 108 bytes on Linux, including the terminating NUL (unix(7)).
const MAX_SOCKET_PATH_BYTES = 107

/**
 * Resolve `config.paths` to absolute paths.
 * @throws KenError KEN_ERR_CONFIG_INVALID when the store socket path is too long for a Unix socket
 */
export function resolvePaths (config: Pick<Config, 'paths'>, cwd: string = process.cwd()): ResolvedPaths {
  const stateDir = path.resolve(cwd, config.paths.stateDir)
  const under = (p: string): string => path.resolve(stateDir, p)
  const resolved = {
    stateDir,
    pkiDir: under(config.paths.pkiDir),
    dbDir: under(config.paths.dbDir),
    applianceKeyFile: under(config.paths.applianceKeyFile),
    storeSocket: under(config.paths.storeSocket),
    storeMaintSocket: under(config.paths.storeMaintSocket),
    gatewayMaintSocket: under(config.paths.gatewayMaintSocket),
    terminalMaintSocket: under(config.paths.terminalMaintSocket),
    nationalMaintSocket: under(config.paths.nationalMaintSocket),
    backupDir: under(config.paths.backupDir),
    backupRecipientFile: under(config.paths.backupRecipientFile),
    logDir: under(config.paths.logDir),
    outboxSocket: under(config.paths.outboxSocket),
    terminalSocket: under(config.paths.terminalSocket),
    terminalAccountsFile: under(config.paths.terminalAccountsFile),
    purposesRegistryFile: config.paths.purposesRegistryFile === '' ? undefined : under(config.paths.purposesRegistryFile)
  }
  for (const key of ['storeSocket', 'outboxSocket', 'terminalSocket', 'storeMaintSocket', 'gatewayMaintSocket', 'terminalMaintSocket', 'nationalMaintSocket'] as const) {
    if (Buffer.byteLength(resolved[key]) > MAX_SOCKET_PATH_BYTES) {
      throw errors.KEN_ERR_CONFIG_INVALID(`paths.${key}: expected a socket path of at most ${MAX_SOCKET_PATH_BYTES} bytes once resolved (got ${resolved[key]}); fix: use a shorter stateDir or an absolute socket path`, { field: `paths.${key}` })
    }
  }
  return Object.freeze(resolved)
}
