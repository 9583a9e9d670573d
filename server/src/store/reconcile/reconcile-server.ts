/**
 * The reconcile socket (gateway → store; reconcile_socket.proto ReconcileRequest/Response): its only
 * capability is "record this chunk of my CS's snapshot and answer its result". The municipality is
 * the one the gateway took from the CS certificate.
 */
import { decode, encode } from '../../../../proto/src/codec.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import type { StoreLogger } from '../store.ts'
import { errors } from '../errors.ts'
import type { Reconciler } from './reconciler.ts'
import { startFramedServer, type FramedServer } from './framed-server.ts'

export async function startReconcileServer (reconciler: Reconciler, socketPath: string, socketMode: number, logger: StoreLogger): Promise<FramedServer> {
  return await startFramedServer(socketPath, socketMode, async (frame) => {
    const request = decode('ReconcileRequest', frame)
    try {
      const result = await reconciler.chunk(request.municipalityCode, request.chunk, 'line', `cs:${request.municipalityCode}`)
      return encode('ReconcileResponse', { requestId: request.requestId, result: encode('ReconcileResult', result), errorCode: '' })
    } catch (err) {
      const code = isKenError(err) ? err.code : errors.KEN_ERR_STORE_APPEND_FAILED.code
      logger.warn({ event: 'store.reconcile.failed', code }, 'reconciliation chunk not recorded')
      return encode('ReconcileResponse', { requestId: request.requestId, result: new Uint8Array(0), errorCode: code })
    }
  }, logger, 'store.reconcile')
}
