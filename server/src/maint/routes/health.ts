/** GET /health — every daemon's health over its maintenance socket (SPEC §7 "a health endpoint"). */
import type { FastifyInstance } from 'fastify'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { MaintOperation } from '../../../../proto/src/types.ts'
import type { Daemons } from '../daemons.ts'

const daemonHealth = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    uptimeSeconds: { type: 'integer' },
    logPosition: { type: 'integer' },
    logHeadHash: { type: 'string' },
    detail: { type: 'string' },
    code: { type: 'string' }
  }
} as const

export function healthRoutes (app: FastifyInstance, daemons: Daemons): void {
  app.get('/health', {
    schema: { response: { 200: { type: 'object', additionalProperties: false, properties: { ok: { type: 'boolean' }, daemons: { type: 'object', additionalProperties: daemonHealth } } } } }
  }, async (request) => {
    const out: Record<string, Record<string, unknown>> = { maint: { ok: true, uptimeSeconds: Math.floor(process.uptime()), detail: 'serving' } }
    for (const name of daemons.names) {
      try {
        const h = (await daemons.call(name, { operation: MaintOperation.HEALTH, technician: request.technician })).health
        out[name] = { ok: h?.ok ?? false, uptimeSeconds: h?.uptimeSeconds ?? 0, logPosition: h?.logPosition ?? 0, logHeadHash: h?.logHeadHash ?? '', detail: h?.detail ?? '' }
      } catch (err) {
        out[name] = { ok: false, code: isKenError(err) ? err.code : 'unknown' }
      }
    }
    return { ok: Object.values(out).every((d) => d.ok === true), daemons: out }
  })
}
