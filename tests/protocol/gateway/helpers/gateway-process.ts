/**
 * ken-gateway as its own process, the way the appliance runs it: a firmware-config file, the
 * development PKI under paths.pkiDir, and the real store daemon (in the test process) at
 * paths.storeSocket. Its log lines are collected; its RSS is read from /proc (Linux).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pino from 'pino'
import { devPki } from '../../../../certs/src/dev-pki.ts'
import { startStoreDaemon, type StoreDaemon } from '../../../../server/src/store/daemon.ts'
import type { Credential } from './pki.ts'
import { tempDirUntilExit } from '../../../helpers/temp-dir.ts'

export const BIN = fileURLToPath(new URL('../../../../gateway/bin/ken-gateway.js', import.meta.url))

export interface GatewayProcess {
  readonly child: ChildProcess
  readonly port: number
  readonly state: string
  readonly ca: string
  readonly cs: ReadonlyMap<string, Credential>
  readonly store: StoreDaemon
  /** Every JSON log line so far. */
  readonly lines: Array<Record<string, unknown>>
  /** Resolve once a line with this event was logged (within 20 s). */
  seen: (event: string) => Promise<void>
  /** The gateway process's resident set, bytes. */
  rss: () => number
  /** Its anonymous part (heap, stacks: not the mapped binary and libraries), bytes. */
  rssAnon: () => number
  close: () => Promise<void>
}

async function freePort (): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => s.close(() => { resolve() }))
  return port
}

/** ken-gateway's CLI module, for a start through `node --import tsx` instead of the bin (cli.test.ts compares the two). */
export const CLI = fileURLToPath(new URL('../../../../gateway/src/cli/ken-gateway.ts', import.meta.url))

/** How the process is started: node's arguments before `--config` (default `[BIN]`), and its environment (default this one's). */
export interface Launch {
  readonly argv?: readonly string[]
  readonly env?: NodeJS.ProcessEnv
}

/** Start the store daemon and ken-gateway with `gateway` merged into the configuration file. */
export async function startGatewayProcess (codes: readonly string[], gateway: Record<string, unknown> = {}, launch: Launch = {}): Promise<GatewayProcess> {
  const state = tempDirUntilExit('ken-gw-proc-')
  await devPki(join(state, 'pki'), codes)
  const store = await startStoreDaemon(
    { dbPath: join(state, 'db'), socketPath: join(state, 'run/store.sock'), keyFile: join(state, 'keys/appliance.key') },
    { logger: pino({ level: 'silent' }) }
  )
  const port = await freePort()
  writeFileSync(join(state, 'ken.json'), JSON.stringify({ paths: { stateDir: state }, gateway: { port, maxConnectionsPerSecond: 1000, ...gateway }, logging: { level: 'info' } }))
  const child = spawn(process.execPath, [...(launch.argv ?? [BIN]), '--config', join(state, 'ken.json')], { stdio: ['ignore', 'ignore', 'pipe'], env: launch.env ?? process.env })
  const lines: Array<Record<string, unknown>> = []
  const waiters: Array<{ event: string, resolve: () => void }> = []
  let buffered = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    buffered += chunk
    let nl
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>
      buffered = buffered.slice(nl + 1)
      lines.push(line)
      for (const w of waiters.filter((w) => w.event === line.event)) w.resolve()
    }
  })
  const seen = async (event: string): Promise<void> => {
    if (lines.some((l) => l.event === event)) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no ${event} within 20 s`)) }, 20_000)
      waiters.push({ event, resolve: () => { clearTimeout(timer); resolve() } })
    })
  }
  const read = (f: string): string => readFileSync(join(state, 'pki', f), 'utf8')
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve() }))
      child.kill('SIGTERM')
      await exited
    }
    await store.close()
  }
  try {
    await seen('gateway.started')
  } catch (err) {
    child.kill('SIGKILL')
    await store.close()
    throw err
  }
  return {
    child,
    port,
    state,
    ca: read('ca.crt'),
    cs: new Map(codes.map((c) => [c, { cert: read(`cs/${c}.crt`), key: read(`cs/${c}.key`) }])),
    store,
    lines,
    seen,
    rssAnon: () => {
      const kb = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))?.[1]
      return Number(kb) * 1024
    },
    rss: () => {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))?.[1]
      return Number(kb) * 1024
    },
    close
  }
}
