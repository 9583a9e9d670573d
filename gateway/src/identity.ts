/**
 * A CS's identity and every topic it may use, derived from its verified certificate alone
 * (SPEC §3: "The MQTT client id and every topic a CS may use are derived from its certificate").
 * Nothing the client sends can widen it.
 */
import { TOPIC_KINDS, topicFor, type TopicKind } from '../../proto/src/topics.ts'
import { isValidMunicipalityCode } from '../../server/src/domain/identifiers.ts'
import { errors } from './errors.ts'

/** What the PKI verifier (certs/) returns for an accepted chain; only these facts are read. */
export interface VerifiedPeer {
  readonly kind: string
  readonly municipalityCode?: string
  readonly serialHex: string
}

/**
 * The PKI verifier the TLS listener runs on every peer chain after the handshake (defense in depth:
 * node:tls checked chain, validity and CRL; this checks the profile — EKU, key usage, the code).
 * certs/'s verifier satisfies it; it throws a coded KenError on refusal.
 */
export interface PeerVerifier {
  verify: (leafDer: Uint8Array, chainDer: readonly Uint8Array[]) => VerifiedPeer | Promise<VerifiedPeer>
}

/** Topics a CS publishes to (SPEC §3 topics v1). */
const PUBLISH_KINDS: readonly TopicKind[] = ['update', 'reconcile', 'updateBatch', 'proof']
/** Topics a CS subscribes to. */
const SUBSCRIBE_KINDS: readonly TopicKind[] = ['result', 'reconcileResult', 'updateBatchResult', 'proofResult']

export interface CsIdentity {
  readonly municipalityCode: string
  /** The only client id this CS may CONNECT with. */
  readonly clientId: string
  readonly serialHex: string
  readonly publishTopics: ReadonlySet<string>
  readonly subscribeTopics: ReadonlySet<string>
  /**
   * Each v1 topic of this CS's municipality (TOPIC_KINDS: the four it publishes to, the four it
   * subscribes to) to its kind; any other topic is absent. So `topicKinds.get(t)` is what
   * parseTopic(t) says when its municipality is this CS's, and undefined otherwise — looked up once
   * per PUBLISH instead of parsed (the broker, the topic router, checkTopic and mayForward each did).
   */
  readonly topicKinds: ReadonlyMap<string, TopicKind>
  /** Where the results of its updates go (one of `subscribeTopics`). */
  readonly resultTopic: string
  /** Where the results of its update batches go (batch.proto). */
  readonly batchResultTopic: string
  /** Where the answers to its receipt requests go (transparency.proto). */
  readonly proofResultTopic: string
  /** Where the results of its reconciliation chunks go (reconcile.proto). */
  readonly reconcileResultTopic: string
}

/** `cs-401307` for 福岡市 (401307). */
export function clientIdFor (municipalityCode: string): string {
  return `cs-${municipalityCode}`
}

/**
 * The identity of a verified CS certificate.
 * @throws KEN_ERR_GW_NOT_A_CS for any other kind of certificate (operator, server, technician)
 */
export function identityOf (peer: VerifiedPeer): CsIdentity {
  const code = peer.municipalityCode
  if (peer.kind !== 'cs' || code === undefined || !isValidMunicipalityCode(code)) {
    throw errors.KEN_ERR_GW_NOT_A_CS(`kind ${peer.kind}`)
  }
  return Object.freeze({
    municipalityCode: code,
    clientId: clientIdFor(code),
    serialHex: peer.serialHex,
    publishTopics: new Set(PUBLISH_KINDS.map((k) => topicFor(k, code))),
    subscribeTopics: new Set(SUBSCRIBE_KINDS.map((k) => topicFor(k, code))),
    topicKinds: new Map(Object.keys(TOPIC_KINDS).map((k) => [topicFor(k as TopicKind, code), k as TopicKind])),
    resultTopic: topicFor('result', code),
    batchResultTopic: topicFor('updateBatchResult', code),
    proofResultTopic: topicFor('proofResult', code),
    reconcileResultTopic: topicFor('reconcileResult', code)
  })
}
