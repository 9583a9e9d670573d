/**
 * The systems under test, each started fresh for one run and stopped after: Mosquitto (baseline),
 * the bare aedes broker (the cost of MQTT over TLS in Node), and ken-server (store daemon + gateway
 * as separate processes, full validation and durable commit).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnDaemon, waitUntilReachable, type DaemonProcess } from '../server/src/appliance/daemon-process.ts'
import { startMosquitto, waitForPort } from './mosquitto.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface BenchPki {
  readonly dir: string
  readonly caPath: string
  readonly serverCert: string
  readonly serverKey: string
}

export interface Target {
  readonly name: string
  readonly port: number
  /** Peak resident set (VmHWM) of each process of the target so far, in MB. */
  peakRssMb: () => Record<string, number>
  /** The process ids, by role (for the recovery measurement). */
  readonly processes: Record<string, DaemonProcess>
  stop: () => Promise<void>
}

/** VmHWM of a process in MB (Linux /proc), 0 when it cannot be read. */
export function peakRssMb (pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? 0 : Math.round(Number(m[1]) / 1024)
  } catch {
    return 0
  }
}

/** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on Linux unless `getconf CLK_TCK` says otherwise). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/** Clock ticks of /proc (USER_HZ) in µs. */
export function ticksToMicros (ticks: number): number {
  return (ticks * 1e6) / TICKS_PER_SECOND
}

/** utime + stime of a /proc stat line (fields 14 and 15, counted after the command name, which may hold spaces), in µs. */
export function statMicros (line: string): number {
  const fields = line.slice(line.lastIndexOf(') ') + 2).split(' ')
  return ticksToMicros(Number(fields[11]) + Number(fields[12]))
}

/**
 * CPU a process has used so far, user + system of all its threads — or of its main thread alone
 * (the thread that runs JavaScript; LevelDB's compactions and reads, libuv's pool and workers are
 * others) — in µs (Linux /proc); 0 when unreadable.
 */
export function processCpuMicros (pid: number | undefined, which: 'all' | 'main' = 'all'): number {
  if (pid === undefined) return 0
  try {
    return statMicros(readFileSync(which === 'all' ? `/proc/${pid}/stat` : `/proc/${pid}/task/${pid}/stat`, 'utf8'))
  } catch {
    return 0
  }
}

/** Bytes a process has caused to be written to the storage layer so far (Linux /proc/PID/io `write_bytes`); 0 when unreadable. */
export function processWriteBytes (pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    return Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

export async function startMosquittoTarget (bin: string, pki: BenchPki, dir: string, port: number): Promise<Target & { version: string }> {
  mkdirSync(dir, { recursive: true })
  const m = await startMosquitto(bin, { dir, port, caPath: pki.caPath, certPath: pki.serverCert, keyPath: pki.serverKey })
  return { name: 'mosquitto', port, version: m.version, processes: {}, peakRssMb: () => ({}), stop: m.stop }
}

export async function startBareAedesTarget (pki: BenchPki, dir: string, port: number): Promise<Target> {
  mkdirSync(dir, { recursive: true })
  const broker = spawnDaemon('bare-aedes', path.join(root, 'bench/bare-aedes.ts'), [String(port), pki.caPath, pki.serverCert, pki.serverKey], path.join(dir, 'bare-aedes.log'))
  await waitForPort(port, 30_000)
  return { name: 'bare aedes', port, processes: { broker }, peakRssMb: () => ({ broker: peakRssMb(broker.child.pid) }), stop: async () => { await broker.stop() } }
}

export interface KenTarget extends Target {
  readonly dbDir: string
  readonly socket: string
  readonly keyFile: string
  readonly configFile: string
  /** The store's outbox socket for ken-national (issue 12). */
  readonly outboxSocket: string
  /** Start the store daemon again (after a kill), as systemd's Restart= would. */
  restartStore: () => DaemonProcess
}

/** ken-server with a fresh state directory `dir` (its own config; the PKI is shared). */
export async function startKenTarget (pki: BenchPki, dir: string, port: number, extra: { gateway?: Record<string, unknown> } = {}): Promise<KenTarget> {
  mkdirSync(path.join(dir, 'logs'), { recursive: true })
  const configFile = path.join(dir, 'config.json')
  writeFileSync(configFile, JSON.stringify({
    paths: { stateDir: dir, pkiDir: pki.dir },
    // Every simulated CS connects from 127.0.0.1; in the field each has its own address, and the
    // per-address connection rate limit (default 10/s) would throttle 60 CS sharing one.
    gateway: { port, maxConnectionsPerSecond: 1000, ...extra.gateway }
  }, null, 2))
  const dbDir = path.join(dir, 'db')
  const socket = path.join(dir, 'run', 'store.sock')
  const keyFile = path.join(dir, 'keys', 'appliance.key')
  const outboxSocket = path.join(dir, 'run', 'outbox.sock')
  mkdirSync(path.dirname(socket), { recursive: true })
  mkdirSync(path.dirname(keyFile), { recursive: true })
  const processes: Record<string, DaemonProcess> = {}
  const peaks: Record<string, number> = {}
  const spawnStore = (): DaemonProcess => {
    const s = spawnDaemon('store', path.join(root, 'server/src/cli/ken-store.ts'), ['serve', '--db', dbDir, '--socket', socket, '--key', keyFile, '--outbox', outboxSocket], path.join(dir, 'logs', 'store.log'))
    processes.store = s
    return s
  }
  const store = spawnStore()
  await waitUntilReachable(store, { path: socket }, 120_000)
  const gateway = spawnDaemon('gateway', path.join(root, 'gateway/bin/ken-gateway.js'), ['--config', configFile], path.join(dir, 'logs', 'gateway.log'))
  processes.gateway = gateway
  await waitUntilReachable(gateway, { host: '127.0.0.1', port }, 60_000)
  const sample = (): Record<string, number> => {
    for (const [role, p] of Object.entries(processes)) peaks[role] = Math.max(peaks[role] ?? 0, peakRssMb(p.child.pid))
    return { ...peaks }
  }
  return {
    name: 'ken-server',
    port,
    dbDir,
    socket,
    keyFile,
    configFile,
    outboxSocket,
    processes,
    peakRssMb: sample,
    restartStore: spawnStore,
    stop: async () => {
      sample()
      await processes.gateway?.stop()
      await processes.store?.stop()
    }
  }
}
