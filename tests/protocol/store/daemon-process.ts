/**
 * The store daemon as a child process, started as an operator would (`node --import tsx
 * server/src/cli/ken-store.ts serve …`), ready once it logs `store.ready` on stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface DaemonProcess {
  readonly child: ChildProcess
  /** JSON log lines seen so far. */
  readonly lines: Array<Record<string, unknown>>
  readonly exited: Promise<number | null>
  /** ms from spawn to `store.ready`. */
  readonly readyMs: number
}

export async function spawnDaemon (paths: { dbPath: string, socketPath: string, keyFile: string }, timeoutMs = 30_000): Promise<DaemonProcess> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/ken-store.ts', 'serve', '--db', paths.dbPath, '--socket', paths.socketPath, '--key', paths.keyFile], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
  const lines: Array<Record<string, unknown>> = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let buffer = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('daemon not ready in time')), timeoutMs)
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8')
      let newline
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline)
        buffer = buffer.slice(newline + 1)
        try {
          const json = JSON.parse(line) as Record<string, unknown>
          lines.push(json)
          if (json.event === 'store.ready') { clearTimeout(timer); resolve() }
        } catch {
          lines.push({ event: 'non-json', line })
        }
      }
    })
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`daemon exited (${code}) before ready: ${JSON.stringify(lines.slice(-3))}`)) })
  })
  await ready
  return { child, lines, exited, readyMs: performance.now() - started }
}
