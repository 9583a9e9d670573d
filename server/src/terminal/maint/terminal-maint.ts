/**
 * ken-terminal's maintenance socket (maint.proto; SPEC §1.1 ken-maint, §7): health, the metrics
 * text, and a live swap of the HTTPS server certificate (MAINT_OPERATION_ROTATE_TLS). The swap is
 * `setSecureContext` on the listening server: new handshakes meet the new certificate, connections
 * already up keep theirs until they reconnect, and sessions live in the store, so none is lost. The
 * terminal checks no client certificate (operators log in with both factors, SPEC §6), so a CA bundle
 * or CRL offered for it is refused rather than silently ignored. ken-maint records the act.
 */
import type { Server } from 'node:https'
import type { Logger } from 'pino'
import { credentialProblem } from '../../../../certs/src/check-tls-material.ts'
import { MaintOperation, type TlsMaterial } from '../../../../proto/src/types.ts'
import { startMaintSocket, type MaintSocket } from '../../store/maint-socket.ts'
import { errors } from '../../store/terminal/errors.ts'
import { TERMINAL_TLS } from '../app.ts'
import type { TerminalMetrics } from './terminal-metrics.ts'

export interface TerminalMaintDeps {
  readonly server: Server
  readonly metrics: TerminalMetrics
  readonly logger: Logger
}

/** Check `m` and swap it in. @throws KEN_ERR_TERM_ROTATION_INVALID (the material in force stays) */
export function rotateTerminalTls (deps: TerminalMaintDeps, m: Partial<TlsMaterial>): void {
  if (nonEmpty(m.caPem) || nonEmpty(m.crlPem)) throw errors.KEN_ERR_TERM_ROTATION_INVALID('ken-terminal trusts no CA bundle or CRL', { field: nonEmpty(m.caPem) ? 'caPem' : 'crlPem' })
  if (nonEmpty(m.certPem) !== nonEmpty(m.keyPem)) throw errors.KEN_ERR_TERM_ROTATION_INVALID('a certificate and its key go together', { field: 'keyPem' })
  if (!nonEmpty(m.certPem)) throw errors.KEN_ERR_TERM_ROTATION_INVALID('no certificate offered', { field: 'certPem' })
  const cert = m.certPem as string
  const key = m.keyPem as string
  const problem = credentialProblem(cert, key, 'server')
  if (problem !== undefined) throw errors.KEN_ERR_TERM_ROTATION_INVALID(problem, { field: 'certPem' })
  deps.server.setSecureContext({ cert, key, ...TERMINAL_TLS })
  deps.logger.info({ event: 'terminal.tls.rotated' }, 'server certificate rotated; links already up keep theirs')
}

export async function startTerminalMaint (deps: TerminalMaintDeps, socketPath: string): Promise<MaintSocket> {
  const startedAt = Date.now()
  return await startMaintSocket({
    [MaintOperation.HEALTH]: async () => ({ health: { daemon: 'terminal', ok: deps.server.listening, uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000), logPosition: 0, logHeadHash: '', detail: deps.server.listening ? 'listening' : 'not listening' } }),
    [MaintOperation.METRICS]: async () => ({ metricsText: await deps.metrics.text() }),
    [MaintOperation.ROTATE_TLS]: async (r) => { rotateTerminalTls(deps, r.tls ?? {}); return {} }
  }, { socketPath, eventPrefix: 'terminal.maint' }, deps.logger)
}

function nonEmpty (s: string | undefined): boolean {
  return s !== undefined && s !== ''
}
