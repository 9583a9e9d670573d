/**
 * Error catalogue of gateway/ (STYLE.md: one catalogue per package, export name = code). These are
 * reasons the gateway refuses a connection, a packet or a configuration; reasons to reject an update
 * are the KEN_REJECT_* codes of proto/src/reason-codes.ts and travel to the CS in its result.
 * gateway/README.md documents every code; tests/unit/gateway/errors.test.ts keeps the two in step.
 */
import { defineErrors } from '../../proto/src/ken-error.ts'

/** Where a refusal happens: before MQTT (transport), in MQTT (protocol), or elsewhere. */
export type GatewayErrorArea = 'config' | 'transport' | 'protocol' | 'store'

export interface GatewayErrorSpec {
  readonly message: string
  readonly area: GatewayErrorArea
  /** The clause or section the refusal enforces. */
  readonly source: string
}

export const GATEWAY_ERRORS = {
  KEN_ERR_GW_OPTIONS: { area: 'config', message: 'invalid gateway options', source: 'STYLE.md (validated once at the edge)' },
  KEN_ERR_GW_CONNECTION_RATE: { area: 'transport', message: 'too many new connections from this source address', source: 'SPEC §3 (connection limits)' },
  KEN_ERR_GW_TLS_HANDSHAKE: { area: 'transport', message: 'the TLS handshake failed (plaintext, TLS below 1.3, no or untrusted, expired or revoked client certificate)', source: 'SPEC §3; RFC 8446; RFC 5280 §6' },
  KEN_ERR_GW_PEER_REFUSED: { area: 'transport', message: 'the peer certificate chain was refused by the PKI verifier', source: 'SPEC §3; RFC 5280 §6' },
  KEN_ERR_GW_NOT_A_CS: { area: 'transport', message: 'the peer certificate is not a CS device certificate', source: 'SPEC §3 (identity from the certificate)' },
  KEN_ERR_GW_PACKET_TOO_LARGE: { area: 'transport', message: 'an MQTT packet exceeds the maximum packet size', source: 'SPEC §3; [MQTT-2.2.3]' },
  KEN_ERR_GW_MALFORMED_LENGTH: { area: 'transport', message: 'the remaining length of an MQTT packet is malformed', source: '[MQTT-2.2.3] (at most four bytes)' },
  KEN_ERR_GW_FIRST_NOT_CONNECT: { area: 'protocol', message: 'the first packet of a connection is not CONNECT', source: '[MQTT-3.1.0-1]' },
  KEN_ERR_GW_SECOND_CONNECT: { area: 'protocol', message: 'a second CONNECT on one connection', source: '[MQTT-3.1.0-2]' },
  KEN_ERR_GW_PACKET_TYPE: { area: 'protocol', message: 'a packet type a client must not send', source: '[MQTT-2.2.1] (client-to-server types only)' },
  KEN_ERR_GW_CONNECT_TIMEOUT: { area: 'protocol', message: 'no complete CONNECT within the connect timeout', source: 'MQTT 3.1.1 §3.1 (server may close); SPEC §3' },
  KEN_ERR_GW_PROTOCOL_VERSION: { area: 'protocol', message: 'only MQTT 3.1.1 is accepted', source: '[MQTT-3.1.2-2]' },
  KEN_ERR_GW_CLIENT_ID: { area: 'protocol', message: 'the client identifier is not the one derived from the certificate', source: '[MQTT-3.1.3-9] (identifier rejected); SPEC §3' },
  KEN_ERR_GW_KEEPALIVE: { area: 'protocol', message: 'the keep alive asked for in CONNECT is outside the configured bounds (0, none, is refused)', source: '[MQTT-3.1.2-24]; firmware-config gateway.keepalive' },
  KEN_ERR_GW_WILL: { area: 'protocol', message: 'will messages are not allowed', source: 'SPEC §3; [MQTT-3.1.2-8]' },
  KEN_ERR_GW_PUBLISH_DENIED: { area: 'protocol', message: 'the client may not publish to this topic', source: 'SPEC §3; [MQTT-3.3.5-2]' },
  KEN_ERR_GW_RETAIN: { area: 'protocol', message: 'retained messages are not allowed', source: 'SPEC §3; [MQTT-3.3.1-5] refused via [MQTT-3.3.5-2]' },
  KEN_ERR_GW_QOS: { area: 'protocol', message: 'updates must be published with QoS 1', source: 'SPEC §3 (QoS 1)' },
  KEN_ERR_GW_TOPIC_NOT_SERVED: { area: 'protocol', message: 'the store socket offers no capability for this topic', source: 'SPEC §3 (append-only socket)' },
  KEN_ERR_GW_SUBSCRIBE_DENIED: { area: 'protocol', message: 'the client may not subscribe to this topic filter', source: 'SPEC §3; [MQTT-3.9.3] (0x80 failure)' },
  KEN_ERR_GW_CONNECTION_CLOSED: { area: 'protocol', message: 'the connection closed before the update could be acknowledged', source: 'SPEC §3 (order per link)' },
  KEN_ERR_GW_STORE_UNAVAILABLE: { area: 'store', message: 'the store did not commit the update; no PUBACK is sent', source: 'SPEC §3 (PUBACK only after commit)' },
  KEN_ERR_GW_STORE_PROTOCOL: { area: 'store', message: 'the store answered out of contract', source: 'proto/ken/v1/store.proto' },
  KEN_ERR_GW_ROTATION_INVALID: { area: 'config', message: 'the TLS material offered for rotation is unusable (key does not match the certificate, not PEM, not a server certificate, or not valid now); the material in force stays', source: 'SPEC §7 (rotation without restart)' }
} as const satisfies Record<string, GatewayErrorSpec>

/** The catalogue as error factories: `errors.KEN_ERR_GW_QOS('qos 0')`. */
export const errors = defineErrors(GATEWAY_ERRORS)

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS
