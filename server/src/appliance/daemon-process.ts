/**
 * Starting and stopping the appliance's daemons as child processes, the way systemd would: each its
 * own process, logs (JSON lines on stderr) to a file, stopped with SIGTERM and waited for.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, existsSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { DAEMON_MALLOC_ENV } from './malloc-env.ts'
import { STORE_NODE_FLAGS } from '../store/heap-flags.ts'

export interface DaemonProcess {
  readonly name: string
  readonly child: ChildProcess
  /** Resolves with the exit code once the process has ended. */
  readonly exited: Promise<number | null>
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop: (graceMs?: number) => Promise<number | null>
}

/** Node flags by daemon name, as the systemd units give them (NODE_OPTIONS): the store's young generation (heap-flags.ts). */
export const DAEMON_NODE_FLAGS: Readonly<Record<string, readonly string[]>> = Object.freeze({ store: STORE_NODE_FLAGS })

const running = new Set<ChildProcess>()
// A launcher that dies must not leave daemons behind holding the port, the socket and the database.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Spawn `node --import tsx <script> ...args` for a TypeScript script, `node <script> ...args` for a
 * JavaScript one (a package bin such as gateway/bin/ken-gateway.js, which registers its own loader),
 * with the Node flags of DAEMON_NODE_FLAGS[name], stderr and stdout appended to `logFile`. With
 * KEN_CPU_PROF_DIR set (profiling the bench, issue 6), each daemon writes V8 CPU profiles (one per
 * thread) into its own sub-directory of it when it exits.
 */
export function spawnDaemon (name: string, script: string, args: readonly string[], logFile: string): DaemonProcess {
  const fd = openSync(logFile, 'a', 0o640)
  const profDir = process.env.KEN_CPU_PROF_DIR
  const prof = profDir === undefined || profDir === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.join(profDir, name)}`]
  // The malloc settings of the systemd units (malloc-env.ts); one already in the environment wins.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...(DAEMON_NODE_FLAGS[name] ?? []), ...prof, ...loader, script, ...args], { stdio: ['ignore', fd, fd], env: { ...DAEMON_MALLOC_ENV, ...process.env } })
  closeSync(fd)
  running.add(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    running.delete(child)
    resolve(code)
  }))
  return {
    name,
    child,
    exited,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
        const code = await exited
        clearTimeout(timer)
        return code
      }
      return await exited
    }
  }
}

/** Resolve once `connect()` succeeds, polling every 50 ms; reject after `timeoutMs` or if `proc` exits. */
export async function waitUntilReachable (proc: DaemonProcess, target: { path: string } | { port: number, host: string }, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited = false
  void proc.exited.then(() => { exited = true })
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.name} exited during start-up (see its log)`)
    if (!('path' in target) || existsSync(target.path)) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = 'path' in target ? net.connect(target.path) : net.connect(target.port, target.host)
        s.once('connect', () => { s.destroy(); resolve(true) })
        s.once('error', () => resolve(false))
      })
      if (ok) return
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`${proc.name} did not become reachable within ${timeoutMs} ms (see its log)`)
}
