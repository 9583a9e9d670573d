/**
 * ken-terminal (SPEC §1.1, §6): its own unprivileged process serving the HTTPS API and the web
 * console on the terminal LAN (127.0.0.1 by default), reaching the store only through the terminal
 * socket. `close()` stops listening, finishes the requests in flight and closes the socket link.
 */
import { readFile } from 'node:fs/promises'
import pino, { type Logger } from 'pino'
import { buildTerminalApp } from './app.ts'
import { parseTerminalOptions, type TerminalDaemonInput } from './options.ts'
import { TerminalClient, type StoreLink } from './store-client.ts'
import type { PossessionAdapter } from './auth/possession.ts'
import { TerminalMetrics } from './maint/terminal-metrics.ts'
import { rotateTerminalTls, startTerminalMaint } from './maint/terminal-maint.ts'
import type { TlsMaterial } from '../../../proto/src/types.ts'
import type { MaintSocket } from '../store/maint-socket.ts'

export interface TerminalDaemon {
  /** https://host:port/ */
  readonly url: string
  readonly port: number
  readonly metrics: TerminalMetrics
  /** Swap the HTTPS certificate live (also offered on the maintenance socket). @throws KEN_ERR_TERM_ROTATION_INVALID */
  rotateTls: (material: Partial<TlsMaterial>) => void
  close: () => Promise<void>
}

export interface TerminalDaemonDeps {
  readonly logger?: Logger
  /** Default: the terminal socket client; tests may pass another link. */
  readonly link?: StoreLink
  /** Default: the key-file adapter. */
  readonly adapter?: PossessionAdapter
}

export async function startTerminalDaemon (input: TerminalDaemonInput, deps: TerminalDaemonDeps = {}): Promise<TerminalDaemon> {
  const options = parseTerminalOptions(input)
  const logger = deps.logger ?? pino({ base: { service: 'ken-terminal' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }))
  const metrics = new TerminalMetrics()
  const link = metrics.counting(deps.link ?? new TerminalClient(options.socketPath, options.terminalId))
  const app = await buildTerminalApp({
    link,
    logger,
    tls: { key: await readFile(options.keyFile), cert: await readFile(options.certFile) },
    ...(deps.adapter === undefined ? {} : { adapter: deps.adapter })
  })
  await app.listen({ host: options.host, port: options.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  const url = `https://${host}:${port}/`
  const maintDeps = { server: app.server, metrics, logger }
  let maint: MaintSocket | undefined
  if (options.maintSocket !== undefined) {
    maint = await startTerminalMaint(maintDeps, options.maintSocket).catch(async (err: unknown) => {
      await app.close()
      await link.close()
      throw err
    })
  }
  logger.info({ event: 'terminal.ready', url, terminal: options.terminalId }, 'ken-terminal listening')
  return {
    url,
    port,
    metrics,
    rotateTls: (material) => { rotateTerminalTls(maintDeps, material) },
    close: async () => {
      await maint?.close()
      await app.close()
      await link.close()
      logger.info({ event: 'terminal.closed' }, 'ken-terminal stopped')
    }
  }
}
