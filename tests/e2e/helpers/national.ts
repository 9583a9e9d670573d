// Processes of the national link for the end-to-end tests: the store daemon with its outbox socket,
// the national simulator, ken-national — each spawned as an operator would, each ready on its own log
// line — and a TCP relay between ken-national and the simulator whose connections can be cut.
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface Proc {
  readonly child: ChildProcess
  readonly lines: Array<Record<string, unknown>>
  readonly exited: Promise<number | null>
  /** The ready line. */
  readonly ready: Record<string, unknown>
  /** SIGKILL, and wait for the exit. */
  kill: () => Promise<void>
  /** SIGTERM, and wait for the exit. */
  stop: () => Promise<void>
}

/** Spawn a daemon (a bin, or a .ts script under --import tsx); resolve when a stderr JSON line has `event === readyEvent`. */
export async function spawnReady (script: string, args: readonly string[], readyEvent: string, timeoutMs = 60_000): Promise<Proc> {
  // A package bin registers its own loader (server/bin/*.js); a .ts script runs under --import tsx.
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : []
  const child = spawn(process.execPath, [...loader, script, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  const lines: Array<Record<string, unknown>> = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let buffer = ''
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in time: ${JSON.stringify(lines.slice(-3))}`)), timeoutMs)
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      let newline
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        try {
          const json = JSON.parse(line) as Record<string, unknown>
          lines.push(json)
          if (json.event === readyEvent) { clearTimeout(timer); resolve(json) }
        } catch {
          lines.push({ event: 'non-json', line })
        }
      }
    })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`${script} exited (${code}) before ready: ${JSON.stringify(lines.slice(-3))}`)) })
  })
  const signal = async (s: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(s)
    await exited
  }
  return { child, lines, exited, ready, kill: async () => await signal('SIGKILL'), stop: async () => await signal('SIGTERM') }
}

/** A TCP relay to `target`; `cut()` drops every relayed connection at once (the link cut). */
export async function relay (targetPort: number): Promise<{ port: number, cut: () => number, close: () => Promise<void> }> {
  const live = new Set<net.Socket>()
  const server = net.createServer((inbound) => {
    const outbound = net.connect(targetPort, '127.0.0.1')
    for (const s of [inbound, outbound]) {
      live.add(s)
      s.on('error', () => undefined)
      s.once('close', () => { live.delete(s); inbound.destroy(); outbound.destroy() })
    }
    inbound.pipe(outbound)
    outbound.pipe(inbound)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => {
      const n = live.size
      for (const s of live) s.destroy()
      return n
    },
    close: async () => {
      for (const s of live) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
