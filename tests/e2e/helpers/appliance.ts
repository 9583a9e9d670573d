/**
 * The appliance as the end-to-end tests run it: a fresh state directory with a firmware-config file,
 * the development PKI for a few municipalities, and the REAL daemons — `ken-store serve` and
 * `ken-gateway --config` — each its own process, started with the launcher's spawnDaemon (as
 * `npm start` and systemd do) on 127.0.0.1 and a free port. Either daemon can be SIGKILLed and
 * started again (systemd's Restart=). Afterwards the store is opened with the appliance key, and
 * `ken-store verify` runs as the operator would run it.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { devPki } from '../../../certs/src/index.ts'
import { loadConfig, resolvePaths, type ResolvedPaths } from '../../../firmware-config/src/index.ts'
import { spawnDaemon, waitUntilReachable, type DaemonProcess } from '../../../server/src/appliance/daemon-process.ts'
import { loadApplianceKey } from '../../../server/src/store/appliance-key.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const STORE_CLI = path.join(ROOT, 'server/src/cli/ken-store.ts')
const GATEWAY_CLI = path.join(ROOT, 'gateway/bin/ken-gateway.js')
export const KEN_STORE_BIN = path.join(ROOT, 'server/bin/ken-store.js')

/** 福岡市, 北九州市, 久留米市, 大牟田市. */
export const FUKUOKA = '401307'
export const KITAKYUSHU = '401005'
export const KURUME = '402036'
export const OMUTA = '402028'

/** How long a (re)started daemon may take to listen; generous, the machine may be loaded. */
const START_TIMEOUT_MS = 60_000

export interface Credential {
  readonly cert: string
  readonly key: string
}

type Role = 'store' | 'gateway'

export interface Appliance {
  readonly state: string
  readonly paths: ResolvedPaths
  readonly port: number
  readonly url: string
  readonly ca: string
  readonly cs: ReadonlyMap<string, Credential>
  /** The running process of each daemon (undefined once stopped or killed and not restarted). */
  readonly running: Partial<Record<Role, DaemonProcess>>
  /** Start one daemon and resolve once it accepts connections. */
  start: (role: Role) => Promise<DaemonProcess>
  /** SIGKILL one daemon and wait for it to be gone. */
  kill: (role: Role) => Promise<void>
  /** SIGTERM the gateway, then the store; the exit codes (null for one not running). */
  stop: () => Promise<Record<Role, number | null>>
  /** The store as the daemons left it: read-only (no recovery), with the appliance key. Daemons stopped: LevelDB allows one process. */
  openStore: () => Promise<LevelStore>
}

export async function freePort (): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => { resolve() }))
  return port
}

/**
 * Prepare a state directory and start the store daemon, then the gateway. `t.teardown` stops what
 * is still running (SIGKILL if SIGTERM is not enough) and removes the directory.
 */
export async function startAppliance (t: { teardown: (fn: () => unknown) => void }, codes: readonly string[], gateway: Record<string, unknown> = {}, store: Record<string, unknown> = {}): Promise<Appliance> {
  const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-'))
  const port = await freePort()
  const configFile = path.join(state, 'ken.json')
  // Every simulated CS connects from 127.0.0.1; on the appliance each CS has its own address.
  writeFileSync(configFile, JSON.stringify({
    paths: { stateDir: state },
    gateway: { host: '127.0.0.1', port, maxConnectionsPerSecond: 1000, ...gateway },
    ...(Object.keys(store).length === 0 ? {} : { store })
  }, null, 2))
  const config = loadConfig(configFile)
  const paths = resolvePaths(config)
  for (const dir of [paths.dbDir, path.dirname(paths.storeSocket), path.dirname(paths.applianceKeyFile), path.join(state, 'logs')]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  }
  await devPki(paths.pkiDir, codes)
  const read = (f: string): string => readFileSync(path.join(paths.pkiDir, f), 'utf8')
  const running: Partial<Record<Role, DaemonProcess>> = {}

  const start = async (role: Role): Promise<DaemonProcess> => {
    const log = path.join(state, 'logs', `${role}.log`)
    const proc = role === 'store'
      ? spawnDaemon('store', STORE_CLI, [
        'serve', '--db', paths.dbDir, '--socket', paths.storeSocket, '--key', paths.applianceKeyFile,
        '--max-delay-ms', String(config.store.groupCommitMaxDelayMs), '--max-entries', String(config.store.groupCommitMaxEntries),
        '--checkpoint-interval-ms', String(config.store.checkpointIntervalMs)
      ], log)
      : spawnDaemon('gateway', GATEWAY_CLI, ['--config', configFile], log)
    running[role] = proc
    await waitUntilReachable(proc, role === 'store' ? { path: paths.storeSocket } : { host: '127.0.0.1', port }, START_TIMEOUT_MS)
    return proc
  }
  const kill = async (role: Role): Promise<void> => {
    const proc = running[role]
    if (proc === undefined) return
    delete running[role]
    proc.child.kill('SIGKILL')
    await proc.exited
  }
  const stopOne = async (role: Role): Promise<number | null> => {
    const proc = running[role]
    if (proc === undefined) return null
    delete running[role]
    return await proc.stop(20_000)
  }
  const stop = async (): Promise<Record<Role, number | null>> => {
    const gatewayCode = await stopOne('gateway')
    return { gateway: gatewayCode, store: await stopOne('store') }
  }
  t.teardown(async () => {
    await stop()
    rmSync(state, { recursive: true, force: true })
  })

  await start('store')
  await start('gateway')
  return {
    state,
    paths,
    port,
    url: `mqtts://127.0.0.1:${port}`,
    ca: read('ca.crt'),
    cs: new Map(codes.map((c) => [c, { cert: read(`cs/${c}.crt`), key: read(`cs/${c}.key`) }])),
    running,
    start,
    kill,
    stop,
    openStore: async () => {
      const store = new LevelStore({ location: paths.dbDir, applianceKey: await loadApplianceKey(paths.applianceKeyFile, { create: false }), readOnly: true, createIfMissing: false })
      await store.open()
      return store
    }
  }
}

/** `ken-store verify --db DIR` as the operator runs it: its exit code and the JSON it printed. */
export async function kenStoreVerify (dbDir: string): Promise<{ code: number | null, report: { ok?: boolean, entries?: number } }> {
  const child = spawn(process.execPath, [KEN_STORE_BIN, 'verify', '--db', dbDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (s: string) => { out += s })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => { resolve(c) }))
  clearTimeout(timer)
  let report: { ok?: boolean, entries?: number } = {}
  try {
    report = JSON.parse(out) as typeof report
  } catch {
    // Left empty: the assertions on the report then fail with what was printed in the diagnostics.
  }
  return { code, report }
}
