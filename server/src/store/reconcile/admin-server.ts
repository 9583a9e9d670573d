/**
 * The reconcile admin socket (ken-store tool → store; reconcile_socket.proto ReconcileAdminRequest):
 * a run from a file on media (SPEC §5.3, requirements C4 "電子記録媒体"), the mismatch list, a
 * resolution, the monthly 統計情報不一致リスト. Not the gateway's socket: a CS never reaches it.
 */
import { decode, encode } from '../../../../proto/src/codec.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { ReconcileAdminResponse } from '../../../../proto/src/types.ts'
import type { StoreLogger } from '../store.ts'
import { errors } from '../errors.ts'
import type { Reconciler } from './reconciler.ts'
import type { MismatchList } from './mismatch-list.ts'
import { startFramedServer, type FramedServer } from './framed-server.ts'

export async function startReconcileAdminServer (reconciler: Reconciler, list: MismatchList, socketPath: string, socketMode: number, logger: StoreLogger): Promise<FramedServer> {
  return await startFramedServer(socketPath, socketMode, async (frame) => {
    const request = decode('ReconcileAdminRequest', frame)
    const base = { requestId: request.requestId, errorCode: '' }
    let response: ReconcileAdminResponse
    try {
      if (request.actor.length === 0) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('actor is required', { field: 'actor' })
      if (request.mediaChunk !== undefined && request.mediaChunk !== null) {
        const m = request.mediaChunk
        const result = await reconciler.chunk(m.municipalityCode, m.chunk, 'media', request.actor)
        response = { ...base, mediaResult: { requestId: m.requestId, result: encode('ReconcileResult', result), errorCode: '' } }
      } else if (request.list !== undefined && request.list !== null) {
        response = { ...base, list: { items: await list.list(request.list) } }
      } else if (request.resolve !== undefined && request.resolve !== null) {
        response = { ...base, resolved: await list.resolve({ ...request.resolve, actor: request.actor }) }
      } else if (request.monthly !== undefined && request.monthly !== '') {
        response = { ...base, monthly: await list.monthly(request.monthly) }
      } else {
        throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('no operation', { field: 'op' })
      }
    } catch (err) {
      const code = isKenError(err) ? err.code : errors.KEN_ERR_STORE_APPEND_FAILED.code
      logger.warn({ event: 'store.reconcile_admin.refused', code }, 'reconcile admin request refused')
      response = { ...base, errorCode: code }
    }
    return encode('ReconcileAdminResponse', response)
  }, logger, 'store.reconcile_admin')
}
