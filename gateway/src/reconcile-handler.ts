/**
 * Reconciliation chunks on the CS line (SPEC §5.3): `ken/v1/cs/{lgCode}/reconcile` → the store's
 * reconcile socket (reconcile-socket.proto) → `…/reconcile/result`. As for updates (ingest.ts), the
 * PUBACK waits for the store: it is sent only once the chunk is durable there, so a CS that loses its
 * link resumes from the last acknowledged chunk and nothing is counted twice (the store answers a
 * chunk sent again with its first result). The municipality is the certificate's; the store refuses
 * a chunk naming another (KEN_REJECT_MUNICIPALITY_MISMATCH).
 *
 *   [checkTopic (authorize.ts), forward, publishResult]
 */
import type { Aedes, Client, PublishPacket } from 'aedes'
import { decode, encode } from '../../proto/src/codec.ts'
import { topicFor } from '../../proto/src/topics.ts'
import { FramedClient } from '../../server/src/store/reconcile/reconcile-client.ts'
import { errors } from './errors.ts'
import type { CsIdentity } from './identity.ts'
import type { GatewayLogger } from './logger.ts'
import { subscribedQos } from './ingest.ts'

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

/** True for the CS's own reconcile topic (authorizePublish has already refused any other's). */
export function isReconcileTopic (identity: CsIdentity, topic: string): boolean {
  return topic === topicFor('reconcile', identity.municipalityCode)
}

/** After the PUBACK: the chunk's result to the owning CS only, QoS 1, not retained (SPEC §3). */
export function publishReconcileResult (broker: Aedes, client: Client | null, identity: CsIdentity, result: Uint8Array, done: (err?: Error | null) => void): void {
  const topic = topicFor('reconcileResult', identity.municipalityCode)
  const packet: PublishPacket = { cmd: 'publish', topic, payload: Buffer.from(result), qos: 1, retain: false, dup: false }
  // As publishResult (ingest.ts): straight to the link when it holds the subscription, else routed.
  if (client !== null && client.connected && !client.closed && subscribedQos(client, topic) === 1) client.publish(packet, done)
  else broker.publish(packet, done)
}
