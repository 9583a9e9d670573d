/**
 * GET /metrics — ken-maint's own registry; GET /metrics/:daemon — a daemon's, scraped from its
 * maintenance socket (one registry per daemon, so each keeps its own process_* series). Prometheus
 * scrapes each path as a target of its own (docs/maintenance.md).
 */
import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { MaintOperation } from '../../../../proto/src/types.ts'
import type { Daemons } from '../daemons.ts'

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export function metricsRoutes (app: FastifyInstance, daemons: Daemons, registry: Registry): void {
  app.get('/metrics', async (_request, reply) => {
    return await reply.type(CONTENT_TYPE).send(await registry.metrics())
  })
  app.get<{ Params: { daemon: string } }>('/metrics/:daemon', {
    schema: { params: { type: 'object', additionalProperties: false, required: ['daemon'], properties: { daemon: { type: 'string', pattern: '^[a-z]{1,20}$' } } } }
  }, async (request, reply) => {
    const r = await daemons.call(request.params.daemon, { operation: MaintOperation.METRICS, technician: request.technician })
    return await reply.type(CONTENT_TYPE).send(r.metricsText)
  })
}
