/**
 * Reconciliation chunks on the CS line (SPEC §5.3): `ken/v1/cs/{lgCode}/reconcile` → the store's
 * reconcile socket (reconcile_socket.proto) → `…/reconcile/result`. As for updates (ingest.ts), the
 * PUBACK waits for the store: it is sent only once the chunk is durable there, so a CS that loses its
 * link resumes from the last acknowledged chunk and nothing is counted twice (the store answers a
 * chunk sent again with its first result). The municipality is the certificate's; the store refuses
 * a chunk naming another (KEN_REJECT_MUNICIPALITY_MISMATCH).
 *
 *   [checkTopic (authorize.ts, topic-handlers.ts), forward, publishAnswer]
 */
import { decode, encode } from '../../proto/src/codec.ts'
import { FramedClient } from '../../server/src/store/reconcile/reconcile-client.ts'
import { errors } from './errors.ts'
import type { CsIdentity } from './identity.ts'
import type { GatewayLogger } from './logger.ts'

/** Sends one chunk to the store; resolves with the encoded ReconcileResult once it is durable. */
export type ReconcileForward = (identity: CsIdentity, payload: Buffer) => Promise<Uint8Array>

/** The forwarder over the store's reconcile socket, reconnecting after the store restarted. */
export function reconcileForwarder (socketPath: string, log: GatewayLogger): { forward: ReconcileForward, close: () => Promise<void> } {
  let client: Promise<FramedClient> | undefined
  let requestId = 0
  const connected = async (): Promise<FramedClient> => {
    const current = client === undefined ? undefined : await client.catch(() => undefined)
    if (current !== undefined && !current.closed) return current
    client = FramedClient.connect(socketPath)
    return await client
  }
  return {
    forward: async (identity, payload) => {
      let response
      try {
        const c = await connected()
        const bytes = await c.request(encode('ReconcileRequest', { requestId: ++requestId, municipalityCode: identity.municipalityCode, chunk: payload }))
        response = decode('ReconcileResponse', bytes)
      } catch (err) {
        client = undefined
        log.error('gateway.reconcile.store_unavailable', { municipality: identity.municipalityCode })
        throw errors.KEN_ERR_GW_STORE_UNAVAILABLE(undefined, { cause: err })
      }
      if (response.errorCode !== '') throw errors.KEN_ERR_GW_STORE_UNAVAILABLE(response.errorCode)
      return response.result
    },
    close: async () => {
      const c = client === undefined ? undefined : await client.catch(() => undefined)
      await c?.close()
    }
  }
}
