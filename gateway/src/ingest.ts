/**
 * The ingest of one update, as a named list of steps run in series (STYLE.md, aedes' handlers):
 *
 *   [checkTopic, checkSize, decode, validate, append]   — before the PUBACK (inside authorizePublish)
 *   [publishResult]                                      — after aedes wrote the PUBACK
 *
 * A step that finds the payload wanting throws a KEN_REJECT_* error: the update becomes a
 * PreRejection that is still appended — committed as a rejection record, acknowledged, answered
 * REJECTED (SPEC §3: "none crashes or blocks the link"). Only `append` failing (the store did not
 * commit) withholds the PUBACK.
 */
import type { Aedes, Client, PublishPacket } from 'aedes'
import { decodeMessage } from '../../proto/src/codec.ts'
import { isKenError, type KenError } from '../../proto/src/ken-error.ts'
import { isReasonCode, reject } from '../../proto/src/reason-codes.ts'
import { parseTopic } from '../../proto/src/topics.ts'
import { Stream, type PreRejection, type Update } from '../../proto/src/types.ts'
import type { EncodedUpdateResult } from '../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../server/src/store/append-request.ts'
import type { ValidateUpdateOptions } from '../../server/src/domain/validate-update.ts'
import { errors } from './errors.ts'
import type { CsIdentity } from './identity.ts'
import type { GatewayLogger } from './logger.ts'
import type { GatewayMetrics } from './metrics.ts'
import { payloadDigest } from './payload-digests.ts'

export interface IngestDeps {
  /** Resolves with the store's result, still encoded as the store sent it (append-client.ts). */
  readonly append: (item: OutgoingAppendItem) => Promise<EncodedUpdateResult>
  readonly validate: (update: Update, opts: ValidateUpdateOptions) => void
  readonly maxUpdateBytes: number
  readonly juminhyoCheckDigit: boolean
  /** The server's date, YYYY-MM-DD (Japan time). */
  readonly today: () => string
  readonly log: GatewayLogger
  readonly metrics: GatewayMetrics
}

/** One update on its way through the steps. */
export class Ingestion {
  readonly identity: CsIdentity
  readonly topic: string
  readonly payload: Buffer
  update: Update | undefined
  rejection: KenError | undefined

  constructor (identity: CsIdentity, topic: string, payload: Buffer) {
    this.identity = identity
    this.topic = topic
    this.payload = payload
  }
}

type Step = (ing: Ingestion, deps: IngestDeps) => void

/** Only updates have a capability on the append socket (store.proto); reconcile chunks go to the reconcile socket (reconcile-handler.ts). */
function checkTopic (ing: Ingestion): void {
  const parsed = parseTopic(ing.topic)
  if (parsed === undefined || parsed.municipalityCode !== ing.identity.municipalityCode) throw errors.KEN_ERR_GW_PUBLISH_DENIED()
  if (parsed.kind !== 'update') throw errors.KEN_ERR_GW_TOPIC_NOT_SERVED(parsed.kind)
}

function checkSize (ing: Ingestion, deps: IngestDeps): void {
  if (ing.payload.length > deps.maxUpdateBytes) throw reject.KEN_REJECT_OVERSIZED(`${ing.payload.length} > ${deps.maxUpdateBytes} bytes`)
}

function decode (ing: Ingestion): void {
  ing.update = decodeMessage('Update', ing.payload)
}

function validate (ing: Ingestion, deps: IngestDeps): void {
  deps.validate(ing.update as Update, {
    certMunicipality: ing.identity.municipalityCode,
    juminhyoCheckDigit: deps.juminhyoCheckDigit,
    today: deps.today()
  })
}

/** The steps before the PUBACK that decide between an update and a rejection record. */
export const CHECK_STEPS: readonly Step[] = [checkTopic, checkSize, decode, validate]

/**
 * Run the steps for one PUBLISH and return the store's result once it is committed.
 * @throws a KEN_ERR_GW_* error when nothing was committed (then no PUBACK may be sent)
 */
export async function ingest (identity: CsIdentity, topic: string, payload: Buffer, deps: IngestDeps): Promise<EncodedUpdateResult> {
  const result = await deps.append(appendItem(identity, topic, payload, payloadDigest(payload), deps))
  return answered(identity, result, deps)
}

/**
 * The checks, then what goes to the store. A valid update goes as the payload it was decoded from
 * (append-request.ts); the decoded object stays behind, so nothing but the payload waits for the
 * store's fsync. `payloadSha256` is SHA-256(payload) (payload-digests.ts: a batch's made in one call).
 */
export function appendItem (identity: CsIdentity, topic: string, payload: Buffer, payloadSha256: Buffer, deps: IngestDeps): OutgoingAppendItem {
  const ing = new Ingestion(identity, topic, payload)
  for (const step of CHECK_STEPS) {
    try {
      step(ing, deps)
    } catch (err) {
      ing.rejection = asRejection(err, deps.log, identity)
      break
    }
  }
  const municipalityCode = identity.municipalityCode
  return ing.rejection === undefined
    ? { municipalityCode, payloadSha256, updateBytes: payload }
    : { municipalityCode, payloadSha256, rejection: preRejection(ing.rejection, ing) }
}

export function answered (identity: CsIdentity, result: EncodedUpdateResult, deps: IngestDeps): EncodedUpdateResult {
  const code = identity.municipalityCode
  if (result.municipalityCode !== code) throw errors.KEN_ERR_GW_STORE_PROTOCOL('result for another municipality')
  deps.metrics.result(code, result)
  if (deps.log.enabled('debug')) {
    deps.log.debug('gateway.update.result', { municipality: code, stream: result.stream, sequence: result.sequence, status: String(result.status), reason: result.reasonCode })
  }
  return result
}

/** What goes to the CS after the PUBACK: the answer to its PUBLISH, on one of its own topics. */
export interface Answer {
  readonly topic: string
  readonly payload: Buffer
}

/**
 * After the PUBACK: the answer to the owning CS only, QoS 1, never retained (SPEC §3) — for an update
 * the UpdateResult bytes of the store's AppendResponse as they are, not decoded and re-encoded. Only
 * that CS may subscribe to its answer topics (checkSubscribe, exact names), so while its link is up and
 * subscribed at QoS 1 the answer is handed to its client directly (aedes `client.publish`, which
 * still runs authorizeForward and, for a persistent session, queues the message first) instead of
 * being routed through the broker's subscription matching. Otherwise the broker routes it as
 * before — e.g. to a persistent session whose link has just closed.
 */
export function publishAnswer (broker: Aedes, client: Client | null, answer: Answer, done: (err?: Error | null) => void): void {
  const topic = answer.topic
  const packet: PublishPacket = {
    cmd: 'publish',
    topic,
    payload: answer.payload,
    qos: 1,
    retain: false,
    dup: false
  }
  if (client !== null && client.connected && !client.closed && subscribedQos(client, topic) === 1) client.publish(packet, done)
  else broker.publish(packet, done)
}

/**
 * The QoS the client holds a subscription to `topic` with: aedes keeps a client's subscriptions by
 * topic filter (lib/handlers/subscribe.js, `client.subscriptions[topic]`), and so does its QoS 1
 * delivery (lib/client.js deliverQoS).
 */
export function subscribedQos (client: Client, topic: string): number | undefined {
  const subs = (client as Client & { readonly subscriptions?: Readonly<Record<string, { readonly qos?: number } | undefined>> }).subscriptions
  return subs?.[topic]?.qos
}

/** A coded rejection passes through; a gateway refusal propagates; anything else fails closed. */
function asRejection (err: unknown, log: GatewayLogger, identity: CsIdentity): KenError {
  if (isKenError(err) && isReasonCode(err.code)) return err
  if (isKenError(err) && err.code.startsWith('KEN_ERR_GW_')) throw err
  log.error('gateway.update.unexpected_error', { municipality: identity.municipalityCode, code: isKenError(err) ? err.code : 'uncoded' })
  return reject.KEN_REJECT_MALFORMED('unexpected error while checking the payload', { cause: err })
}

function preRejection (err: KenError, ing: Ingestion): PreRejection {
  const u = ing.update
  return {
    reasonCode: err.code,
    field: err.field ?? '',
    stream: u?.stream ?? Stream.UNSPECIFIED,
    sequence: u?.sequence ?? 0,
    requestId: u?.requestId ?? '',
    payloadLength: ing.payload.length
  }
}
