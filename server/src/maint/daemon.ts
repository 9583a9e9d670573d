/**
 * ken-maint (SPEC §1.1, §7): the technicians' process on the management interface — HTTPS with
 * mutual TLS (technician certificates of the prefecture's CA), TLS 1.3 and the groups of
 * certs/src/tls-policy.ts. Its only ways into the appliance are the daemons' maintenance sockets
 * (maint.proto), which offer no resident's data and no key; its routes are the table below, each
 * with a schema that refuses unknown properties. Any other path is refused and recorded as the
 * technician's refused act (sources D2, H21: a technician has no search function; any attempt is logged).
 */
import { readFile } from 'node:fs/promises'
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify'
import pino, { type Logger } from 'pino'
import { Counter, Registry, collectDefaultMetrics } from 'prom-client'
import { CrlStore } from '../../../certs/src/crl-store.ts'
import { TLS_POLICY } from '../../../certs/src/tls-policy.ts'
import { createVerifier } from '../../../certs/src/verifier.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { Daemons } from './daemons.ts'
import { errors } from './errors.ts'
import { parseMaintOptions, type MaintOptionsInput } from './options.ts'
import { backupRoutes } from './routes/backups.ts'
import { configRoutes } from './routes/config.ts'
import { healthRoutes } from './routes/health.ts'
import { logRoutes } from './routes/logs.ts'
import { metricsRoutes } from './routes/metrics.ts'
import { rotationRoutes } from './routes/rotation.ts'
import { technicianAuth } from './technician-auth.ts'

export interface MaintDaemon {
  readonly port: number
  readonly url: string
  readonly app: FastifyInstance
  /** The route table (method and URL pattern), as registered: the whole surface a technician has. */
  readonly routes: ReadonlyArray<{ readonly method: string, readonly url: string }>
  close: () => Promise<void>
}

/** HTTP status of each ken-maint code; a daemon's refusal (KEN_ERR_STORE_*, KEN_ERR_GW_*) is 409. */
const STATUS: Readonly<Record<string, number>> = {
  KEN_ERR_MAINT_NOT_TECHNICIAN: 403,
  KEN_ERR_MAINT_NO_SUCH_ROUTE: 404,
  KEN_ERR_MAINT_UNKNOWN_DAEMON: 404,
  KEN_ERR_MAINT_BAD_REQUEST: 400,
  KEN_ERR_MAINT_CONFIG_INVALID: 422,
  KEN_ERR_MAINT_ROTATION_INVALID: 422,
  KEN_ERR_MAINT_DAEMON_UNREACHABLE: 503
}

export async function startMaint (input: MaintOptionsInput, deps: { logger?: Logger } = {}): Promise<MaintDaemon> {
  const opts = parseMaintOptions(input)
  const logger = deps.logger ?? pino({ base: { service: 'ken-maint' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: false }))
  const [key, cert, ca] = await Promise.all([opts.tls.keyFile, opts.tls.certFile, opts.tls.caFile].map(async (f) => await readFile(f)))
  const caPem = (ca as Buffer).toString('utf8')
  const crl = await CrlStore.open({ path: opts.tls.crlFile, issuers: caPem })
  const verifier = createVerifier({ trustAnchors: caPem, crl, expect: 'operator', allowedRoles: new Set(['technician'] as const) })
  const daemons = new Daemons(opts.daemons)
  const registry = new Registry()
  const requests = new Counter({ name: 'ken_maint_requests_total', help: 'Requests to ken-maint, by route and HTTP status', labelNames: ['route', 'status'], registers: [registry] })
  collectDefaultMetrics({ register: registry })

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    disableRequestLogging: true,
    https: { key, cert, ca, crl: crl.pems, requestCert: true, rejectUnauthorized: true, ...TLS_POLICY },
    // STYLE.md: refuse, not strip, properties a schema does not name.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    bodyLimit: 512 * 1024
  })
  const routes: Array<{ method: string, url: string }> = []
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url })
  })
  technicianAuth(app, verifier, daemons)
  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ route: request.routeOptions.url ?? 'none', status: String(reply.statusCode) })
    logger.info({ event: 'maint.request', route: request.routeOptions.url ?? 'none', method: request.method, status: reply.statusCode, technician: request.technician }, 'request')
  })
  app.setNotFoundHandler(async (request) => {
    // The path is not recorded: whatever was asked for may itself be a resident's data.
    await daemons.recordAct(request.technician, 'maint.refused', { refused: true, reasonCode: errors.KEN_ERR_MAINT_NO_SUCH_ROUTE.code, note: `${request.method} to a route ken-maint does not offer` })
    logger.warn({ event: 'maint.route.refused', method: request.method, technician: request.technician, code: errors.KEN_ERR_MAINT_NO_SUCH_ROUTE.code }, 'no such route')
    throw errors.KEN_ERR_MAINT_NO_SUCH_ROUTE()
  })
  app.setErrorHandler(async (err: FastifyError, _request, reply) => {
    if ((err.validation?.length ?? 0) > 0) return await reply.status(400).send({ code: errors.KEN_ERR_MAINT_BAD_REQUEST.code })
    const code = isKenError(err) ? err.code : 'KEN_ERR_MAINT_INTERNAL'
    const status = STATUS[code] ?? (isKenError(err) ? 409 : 500)
    if (status >= 500) logger.error({ event: 'maint.request.failed', code }, 'request failed')
    return await reply.status(status).send({ code })
  })
  healthRoutes(app, daemons)
  metricsRoutes(app, daemons, registry)
  logRoutes(app, opts.logDir, opts.maxLogLines)
  backupRoutes(app, daemons)
  rotationRoutes(app, daemons, opts.rotatable)
  configRoutes(app, daemons, opts.configFile)

  await app.listen({ host: opts.host, port: opts.port })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : opts.port
  const url = `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/`
  logger.info({ event: 'maint.started', url }, 'ken-maint listening')
  return {
    port,
    url,
    app,
    routes,
    close: async () => {
      await app.close()
      crl.close()
      logger.info({ event: 'maint.stopped' }, 'ken-maint stopped')
    }
  }
}
