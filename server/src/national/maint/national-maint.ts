/**
 * ken-national's maintenance socket (maint.proto; SPEC §1.1 ken-maint, §7): health, the metrics text,
 * and a live swap of the client certificate and key and of the national CA bundle
 * (MAINT_OPERATION_ROTATE_TLS). The link up now is kept; the next (re)connection presents the new
 * certificate. The national link carries no CRL of the prefecture (the national server judges
 * ken-national's certificate), so a CRL offered here is refused, not ignored. ken-maint records the act.
 */
import { caBundleProblem, credentialProblem } from '../../../../certs/src/check-tls-material.ts'
import { MaintOperation, type TlsMaterial } from '../../../../proto/src/types.ts'
import { startMaintSocket, type MaintSocket } from '../../store/maint-socket.ts'
import type { StoreLogger } from '../../store/store.ts'
import { errors } from '../errors.ts'
import type { NationalLag } from '../forwarder.ts'
import type { NationalLogger } from '../logger.ts'
import type { NationalCredential } from '../national-link.ts'
import type { NationalMetrics } from './national-metrics.ts'

export interface NationalMaintDeps {
  readonly rotate: (next: Partial<NationalCredential>) => void
  readonly lag: () => NationalLag
  readonly metrics: NationalMetrics
  readonly log: NationalLogger
}

/** Check `m` and hand it to the link. @throws KEN_ERR_NATIONAL_ROTATION_INVALID (what is in force stays) */
export function rotateNationalTls (rotate: NationalMaintDeps['rotate'], m: Partial<TlsMaterial>): void {
  const given = (s: string | undefined): s is string => s !== undefined && s !== ''
  if (given(m.crlPem)) throw errors.KEN_ERR_NATIONAL_ROTATION_INVALID('the national link takes no CRL', { field: 'crlPem' })
  if (given(m.certPem) !== given(m.keyPem)) throw errors.KEN_ERR_NATIONAL_ROTATION_INVALID('a certificate and its key go together', { field: 'keyPem' })
  if (!given(m.certPem) && !given(m.caPem)) throw errors.KEN_ERR_NATIONAL_ROTATION_INVALID('nothing offered', { field: 'certPem' })
  const problem = (given(m.certPem) && given(m.keyPem) ? credentialProblem(m.certPem, m.keyPem, 'client') : undefined) ?? (given(m.caPem) ? caBundleProblem(m.caPem) : undefined)
  if (problem !== undefined) throw errors.KEN_ERR_NATIONAL_ROTATION_INVALID(problem, { field: given(m.certPem) ? 'certPem' : 'caPem' })
  rotate({
    ...(given(m.certPem) && given(m.keyPem) ? { cert: Buffer.from(m.certPem), key: Buffer.from(m.keyPem) } : {}),
    ...(given(m.caPem) ? { ca: Buffer.from(m.caPem) } : {})
  })
}

export async function startNationalMaint (deps: NationalMaintDeps, socketPath: string): Promise<MaintSocket> {
  const startedAt = Date.now()
  return await startMaintSocket({
    [MaintOperation.HEALTH]: async () => {
      const l = deps.lag()
      const ok = l.linkUp && l.outboxConnected
      return { health: { daemon: 'national', ok, uptimeSeconds: Math.floor((Date.now() - startedAt) / 1000), logPosition: l.confirmed, logHeadHash: '', detail: `link ${l.linkUp ? 'up' : 'down'}, outbox ${l.outboxConnected ? 'connected' : 'disconnected'}, lag ${l.lagPositions}` } }
    },
    [MaintOperation.METRICS]: async () => ({ metricsText: await deps.metrics.text() }),
    [MaintOperation.ROTATE_TLS]: async (r) => { rotateNationalTls(deps.rotate, r.tls ?? {}); return {} }
  }, { socketPath, eventPrefix: 'national.maint' }, storeLoggerOf(deps.log))
}

/** The maintenance socket logs through ken-national's logger: its event names, codes only. */
function storeLoggerOf (log: NationalLogger): StoreLogger {
  const line = (level: 'info' | 'warn' | 'error') => (fields: Record<string, unknown>): void => {
    const { event, ...rest } = fields
    log[level](String(event), rest)
  }
  return { info: line('info'), warn: line('warn'), error: line('error') }
}
