/**
 * An upload reaches no one, so it skips aedes' routing. After the PUBACK of a QoS 1 PUBLISH, aedes
 * hands the packet to `broker.publish(packet, client, done)` (node_modules/aedes/lib/handlers/
 * publish.js, enqueuePublish), which runs [storeRetained, enqueueOffline, emitPacket, callPublished]
 * (aedes.js publishFuncsQoS): a subscription match in the persistence for offline sessions, another in
 * mqemitter for live ones, a packet copy and four callbacks per update — and all of it finds nobody,
 * since no CS may subscribe to another's or to any upload topic (authorize.ts checkSubscribe, exact
 * result topics only) and authorizeForward refuses uploads anyway (mayForward). An authorised upload
 * (`isUpload`) therefore goes straight to what callPublished does: the `published` hook (where the
 * gateway publishes the result, broker.ts) and the 'publish' event. Retained uploads are refused
 * before this (checkPublish), so storeRetained has nothing to do either. Everything else — results,
 * $SYS, wills (refused at CONNECT) — is routed by aedes as before.
 *
 * Measured (bench/ingest-ken.ts, single updates, 60 CS): bench/results/2026-11-30-session12-gw7-ab.txt.
 */
import type { Aedes, AedesPublishPacket, Client, PublishPacket } from 'aedes'

type Done = (err?: Error | null) => void
/** aedes' own call passes the publishing client (aedes.js `publish (packet, client, done)`); its typings know only (packet, done). */
type Publish = (packet: PublishPacket, client: Client | null | Done, done?: Done) => void

export function skipRoutingOfUploads (broker: Aedes, isUpload: (packet: PublishPacket, client: Client) => boolean): void {
  const route = (broker.publish as Publish).bind(broker)
  const publish: Publish = (packet, client, done) => {
    if (client === null || typeof client === 'function' || done === undefined || !isUpload(packet, client)) {
      route(packet, client, done)
      return
    }
    // The packet CS sent, as callPublished passes it (aedes.js PublishState), not aedes' copy with a brokerId.
    broker.published(packet as AedesPublishPacket, client, done)
    broker.emit('publish', packet, client)
  }
  ;(broker as unknown as { publish: Publish }).publish = publish
}
