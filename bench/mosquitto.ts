/**
 * The Mosquitto 2 baseline (SPEC §8): Debian's package, TLS 1.3 with mutual authentication,
 * persistence off. Installs it with apt-get when missing and we are root; otherwise says why not.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']

/** Path of the mosquitto binary, installing Debian's package if needed; throws with the reason when it cannot. */
export function findOrInstallMosquitto (log: (line: string) => void): string {
  const found = CANDIDATES.find((p) => existsSync(p))
  if (found !== undefined) return found
  if (process.getuid?.() !== 0) throw new Error('mosquitto is not installed and this is not root: run `apt-get install mosquitto` and try again')
  log('mosquitto not found: installing Debian package mosquitto with apt-get')
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' })
    execFileSync('apt-get', ['install', '-y', '-qq', 'mosquitto'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  } catch (err) {
    throw new Error(`apt-get install mosquitto failed: ${err instanceof Error ? err.message : String(err)}`)
  }
  const installed = CANDIDATES.find((p) => existsSync(p))
  if (installed === undefined) throw new Error('apt-get reported success but no mosquitto binary was found')
  // Debian starts the service on install; the benchmark runs its own instance.
  try { execFileSync('systemctl', ['stop', 'mosquitto'], { stdio: 'ignore' }) } catch { /* no systemd here */ }
  return installed
}

export interface MosquittoInstance {
  readonly port: number
  readonly version: string
  stop: () => Promise<void>
}

/** Start mosquitto on 127.0.0.1:`port` with the given PKI files; resolves when it accepts connections. */
export async function startMosquitto (bin: string, opts: { dir: string, port: number, caPath: string, certPath: string, keyPath: string }): Promise<MosquittoInstance> {
  const conf = path.join(opts.dir, 'mosquitto.conf')
  writeFileSync(conf, [
    'per_listener_settings false',
    'persistence false',
    'user root',
    'log_type error',
    'log_dest stderr',
    'max_inflight_messages 0',
    'max_queued_messages 100000',
    `listener ${opts.port} 127.0.0.1`,
    `cafile ${opts.caPath}`,
    `certfile ${opts.certPath}`,
    `keyfile ${opts.keyPath}`,
    'require_certificate true',
    'use_identity_as_username true',
    'tls_version tlsv1.3',
    ''
  ].join('\n'))
  // `mosquitto -h` prints its version on the first line and exits non-zero.
  const version = spawnSync(bin, ['-h'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? 'mosquitto'
  const child: ChildProcess = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForPort(opts.port, 10_000)
  return {
    port: opts.port,
    version,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }
}

/** Resolve once something accepts TCP connections on 127.0.0.1:port. */
export async function waitForPort (port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true) })
      s.on('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`)
}
