/**
 * Backups (SPEC §7, sources D4–D6, D13): take one now, list the media register, run the weekly
 * check, enter a disposal. The store does the work and records each act naming the technician;
 * the backup file never passes through ken-maint. Restoring needs the administrator's key and is
 * `ken-store restore`, not a route: a technician cannot decrypt a backup.
 */
import type { FastifyInstance } from 'fastify'
import { MaintOperation } from '../../../../proto/src/types.ts'
import type { Daemons } from '../daemons.ts'

export function backupRoutes (app: FastifyInstance, daemons: Daemons): void {
  app.get('/backups', async (request) => {
    return { media: (await daemons.call('store', { operation: MaintOperation.MEDIA, technician: request.technician })).media }
  })
  app.post('/backups', async (request) => {
    request.log.info({ event: 'maint.backup.requested', technician: request.technician }, 'backup requested')
    return { medium: (await daemons.call('store', { operation: MaintOperation.BACKUP, technician: request.technician })).media[0] }
  })
  app.post('/backups/check', async (request) => {
    return { check: (await daemons.call('store', { operation: MaintOperation.MEDIA_CHECK, technician: request.technician })).mediaCheck }
  })
  app.post<{ Params: { mediaId: string }, Body: { reason: string } }>('/backups/:mediaId/disposal', {
    schema: {
      params: { type: 'object', additionalProperties: false, required: ['mediaId'], properties: { mediaId: { type: 'string', pattern: '^KB-[0-9TZ]+-[0-9a-f]{4}$' } } },
      body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 200 } } }
    }
  }, async (request) => {
    return { media: (await daemons.call('store', { operation: MaintOperation.DISPOSE_MEDIUM, technician: request.technician, disposal: { mediaId: request.params.mediaId, reason: request.body.reason } })).media }
  })
}
