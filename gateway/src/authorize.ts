/**
 * Default-deny authorisation (SPEC §3; STYLE.md: unlike aedes, deny unless allowed). Every decision
 * reads the identity derived from the certificate ({@link CsIdentity}); nothing the client says can
 * widen it. Each check throws the KEN_ERR_GW_* error that names the refusal.
 */
import type { Client, PublishPacket, Subscription } from 'aedes'
import type { KenError } from '../../proto/src/ken-error.ts'
import { parseTopic, TOPIC_KINDS } from '../../proto/src/topics.ts'
import { errors } from './errors.ts'
import type { CsIdentity } from './identity.ts'
import { GuardedConnection, type ConnectFacts } from './packet-guard.ts'

/** MQTT 3.1.1 is protocol level 4 [MQTT-3.1.2-2]. */
const MQTT_3_1_1 = 4

/** CONNACK return codes of MQTT 3.1.1 §3.2.2.3 that authenticate may answer with. */
export const CONNACK = { IDENTIFIER_REJECTED: 2, NOT_AUTHORIZED: 5 } as const

/** The guarded connection of an aedes client, or undefined for anything else (refused). */
export function connectionOf (client: Client | null): GuardedConnection | undefined {
  return client !== null && client.conn instanceof GuardedConnection ? client.conn : undefined
}

/** The identity of an aedes client's certificate, or undefined (then everything is refused). */
export function identityOfClient (client: Client | null): CsIdentity | undefined {
  return connectionOf(client)?.identity
}

/** Keep alive bounds in seconds (firmware-config gateway.keepalive). */
export interface KeepaliveBounds {
  readonly minSeconds: number
  readonly maxSeconds: number
}

/**
 * CONNECT: only MQTT 3.1.1, the client id derived from the certificate [MQTT-3.1.3-9], no will,
 * a keep alive within bounds (so a dead link is noticed within 1.5 × it [MQTT-3.1.2-24]).
 * @returns the CONNACK return code to refuse with and the error, or undefined to accept
 */
export function checkConnect (identity: CsIdentity | undefined, facts: ConnectFacts | undefined, clientId: string, keepalive: KeepaliveBounds): { returnCode: number, error: KenError } | undefined {
  if (identity === undefined || facts === undefined) return { returnCode: CONNACK.NOT_AUTHORIZED, error: errors.KEN_ERR_GW_NOT_A_CS() }
  if (facts.protocolVersion !== MQTT_3_1_1) return { returnCode: CONNACK.NOT_AUTHORIZED, error: errors.KEN_ERR_GW_PROTOCOL_VERSION(`level ${facts.protocolVersion}`) }
  if (clientId !== identity.clientId) return { returnCode: CONNACK.IDENTIFIER_REJECTED, error: errors.KEN_ERR_GW_CLIENT_ID() }
  // SPEC §3: no will messages — a will would let a CS publish without the ingest path.
  if (facts.will) return { returnCode: CONNACK.NOT_AUTHORIZED, error: errors.KEN_ERR_GW_WILL() }
  if (facts.keepalive < keepalive.minSeconds || facts.keepalive > keepalive.maxSeconds) {
    return { returnCode: CONNACK.NOT_AUTHORIZED, error: errors.KEN_ERR_GW_KEEPALIVE(`${facts.keepalive} s`) }
  }
  return undefined
}

/**
 * PUBLISH from a CS: not retained, only to its own upload topics, QoS 1. A refusal closes the
 * connection: MQTT 3.1.1 has no negative PUBACK [MQTT-3.3.5-2].
 * @throws KEN_ERR_GW_RETAIN, KEN_ERR_GW_PUBLISH_DENIED or KEN_ERR_GW_QOS
 */
export function checkPublish (identity: CsIdentity | undefined, packet: PublishPacket): CsIdentity {
  if (identity === undefined) throw errors.KEN_ERR_GW_PUBLISH_DENIED('no CS identity')
  // [MQTT-3.3.1-5] would have the server store a retained message; SPEC §3 forbids retained messages.
  if (packet.retain) throw errors.KEN_ERR_GW_RETAIN()
  if (!identity.publishTopics.has(packet.topic)) throw errors.KEN_ERR_GW_PUBLISH_DENIED(topicKindOf(packet.topic))
  if (packet.qos !== 1) throw errors.KEN_ERR_GW_QOS(`qos ${packet.qos}`)
  return identity
}

/**
 * SUBSCRIBE: only the CS's own result topics, as exact names (so no wildcard can match anything
 * else); QoS granted at most 1, the QoS results are sent with.
 * @returns the subscription to grant, or the error to answer with a 0x80 failure [MQTT-3.9.3]
 */
export function checkSubscribe (identity: CsIdentity | undefined, sub: Subscription): Subscription | KenError {
  if (identity === undefined || !identity.subscribeTopics.has(sub.topic)) return errors.KEN_ERR_GW_SUBSCRIBE_DENIED(topicKindOf(sub.topic))
  return { ...sub, qos: sub.qos > 1 ? 1 : sub.qos }
}

/**
 * Forwarding a message to a subscriber: only server-to-CS topics, only to their owner. Updates are
 * never forwarded to anyone — defense in depth behind checkSubscribe.
 */
export function mayForward (identity: CsIdentity | undefined, topic: string): boolean {
  const kind = identity?.topicKinds.get(topic)
  return identity !== undefined && kind !== undefined &&
    TOPIC_KINDS[kind].direction === 'server-to-cs' && identity.subscribeTopics.has(topic)
}

/** For logs: the kind of a v1 topic, never the topic text a client chose. */
function topicKindOf (topic: string): string {
  return parseTopic(topic)?.kind ?? 'not a v1 topic'
}
