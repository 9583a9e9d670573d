/**
 * A batch of updates in one PUBLISH (proto/ken/v1/batch.proto; issue 18): for a CS catching up, the
 * MQTT, TLS and broker costs are paid per batch. Each element goes through the same steps as an update
 * published alone (ingest.ts CHECK_STEPS: size, decode, validate) and becomes its own AppendItem, its
 * own log entry and its own result; the elements are appended in their order, one after the other on
 * the CS's append queue (append-batcher.ts keeps a CS's order), and the batch resolves — so the PUBACK
 * goes — only once every element is durably committed (SPEC §3). A redelivered batch is answered
 * DUPLICATE for what was committed (SPEC §3 idempotence). A payload that is not an UpdateBatch, an
 * empty one, or one over `maxBatchUpdates` is one rejection record, answered with one REJECTED result.
 */
import protobuf from 'protobufjs'
import { reject } from '../../proto/src/reason-codes.ts'
import { Stream } from '../../proto/src/types.ts'
import type { TopicKind } from '../../proto/src/topics.ts'
import type { EncodedUpdateResult } from '../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../server/src/store/append-request.ts'
import type { KenError } from '../../proto/src/ken-error.ts'
import type { CsIdentity } from './identity.ts'
import { answered, appendItem, type IngestDeps } from './ingest.ts'
import { payloadDigest, spanDigests } from './payload-digests.ts'

export interface BatchDeps extends IngestDeps {
  /** Most updates one batch may carry (gateway.maxBatchUpdates). */
  readonly maxBatchUpdates: number
}

/**
 * Run a batch through the steps and the store; resolves with the encoded UpdateBatchResult once every
 * element is committed. @throws a KEN_ERR_GW_* error when something was not committed (no PUBACK)
 */
export async function ingestBatch (identity: CsIdentity, payload: Buffer, deps: BatchDeps): Promise<Buffer> {
  const { items, batchSha256 } = batchItems(identity, payload, deps)
  const results = await Promise.all(items.map((item) => deps.append(item)))
  return encodeBatchResult(results.map((r) => answered(identity, r, deps)), batchSha256)
}

function batchItems (identity: CsIdentity, payload: Buffer, deps: BatchDeps): { items: OutgoingAppendItem[], batchSha256: Buffer } {
  const n = readBatch(payload)
  const refused = n < 0
    ? reject.KEN_REJECT_MALFORMED('not an UpdateBatch')
    : n === 0
      ? reject.KEN_REJECT_MALFORMED('an empty batch', { field: 'updates' })
      : n > deps.maxBatchUpdates ? reject.KEN_REJECT_OVERSIZED(`${n} > ${deps.maxBatchUpdates} updates`, { field: 'updates' }) : undefined
  if (refused !== undefined) {
    const batchSha256 = payloadDigest(payload)
    return { items: [refusal(identity, payload, batchSha256, refused)], batchSha256 }
  }
  // Every element's digest and, after them, the batch's (spans[2n, 2n+1] = the whole payload): one call.
  const spans = spanScratch
  spans[2 * n] = 0
  spans[2 * n + 1] = payload.length
  const digests = spanDigests(payload, spans, n + 1)
  const updateTopic = topicOfUpdates(identity)
  const items = new Array<OutgoingAppendItem>(n)
  for (let i = 0; i < n; i++) {
    const element = payload.subarray(spans[2 * i], spans[2 * i + 1])
    items[i] = appendItem(identity, updateTopic, element, digests.subarray(32 * i, 32 * (i + 1)), deps)
  }
  return { items, batchSha256: digests.subarray(32 * n, 32 * (n + 1)) }
}

function topicOfUpdates (identity: CsIdentity): string {
  for (const t of identity.publishTopics) if (t.endsWith('/update')) return t
  throw new Error('a CS identity always has its update topic')
}

function refusal (identity: CsIdentity, payload: Buffer, payloadSha256: Buffer, err: KenError): OutgoingAppendItem {
  return {
    municipalityCode: identity.municipalityCode,
    payloadSha256,
    rejection: { reasonCode: err.code, field: err.field ?? '', stream: Stream.UNSPECIFIED, sequence: 0, requestId: '', payloadLength: payload.length }
  }
}

/**
 * UpdateBatchResult from the results' bytes as the store encoded them: field 1 (results) is each
 * UpdateResult length-delimited, field 2 the payload digest (protobuf encoding, wire type 2) — no
 * decode and re-encode of what the store sent.
 */
export function encodeBatchResult (results: readonly EncodedUpdateResult[], payloadSha256: Buffer): Buffer {
  const parts: Buffer[] = []
  for (const r of results) parts.push(Buffer.from([0x0a]), varint(r.bytes.length), r.bytes)
  parts.push(Buffer.from([0x12]), varint(payloadSha256.length), payloadSha256)
  return Buffer.concat(parts)
}

function varint (n: number): Buffer {
  const out: number[] = []
  let v = n
  while (v > 0x7f) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128) }
  out.push(v)
  return Buffer.from(out)
}

/**
 * How many updates a PUBLISH on a topic of `kind` hands to the store, for the link's update budget
 * (limits.ts PublishPermits), counted over the wire format before ingest reads it: one per element
 * of a batch, one for a batch refused whole (batchItems: malformed, empty or over `maxBatchUpdates` is
 * one rejection record), one for an update alone, none for a receipt request or a reconciliation
 * chunk (they commit no update).
 */
export function updatesOf (kind: TopicKind | undefined, payload: Uint8Array, maxBatchUpdates: number): number {
  if (kind === 'update') return 1
  if (kind !== 'updateBatch') return 0
  const n = readBatch(payload)
  return n <= 0 || n > maxBatchUpdates ? 1 : n
}

/**
 * Element i's bytes are payload[spanScratch[2i], spanScratch[2i+1]) after {@link readBatch}; room for one span
 * more (batchItems puts the whole payload there). Read synchronously right after the walk.
 */
let spanScratch: Int32Array = new Int32Array(2 * 257)

/**
 * Walks `payload` as an UpdateBatch without decoding it, as strictly as proto/src/codec.ts
 * decodeMessage would (strict-wire.ts): its one field is `repeated bytes updates = 1` (batch.proto),
 * so any other tag — another field number or wire type — or a truncated length is not an UpdateBatch.
 * Each element stays a span of the payload: no array of copies, no message object (the elements are
 * decoded strictly one by one, ingest.ts CHECK_STEPS).
 * @returns how many elements (their spans in spanScratch), or -1 when the payload is not an UpdateBatch
 */
function readBatch (payload: Uint8Array): number {
  const reader = protobuf.Reader.create(payload)
  let n = 0
  try {
    while (reader.pos < reader.len) {
      if (reader.uint32() !== UPDATES_TAG) return -1
      const length = reader.uint32()
      const start = reader.pos
      reader.skip(length)
      if (2 * n + 4 > spanScratch.length) spanScratch = grown(spanScratch)
      spanScratch[2 * n] = start
      spanScratch[2 * n + 1] = start + length
      n++
    }
  } catch {
    return -1
  }
  return n
}

function grown (spans: Int32Array): Int32Array {
  const more = new Int32Array(2 * spans.length)
  more.set(spans)
  return more
}

/** Field 1, wire type 2 (length-delimited): protobuf encoding spec, "Message Structure". */
const UPDATES_TAG = (1 << 3) | 2
