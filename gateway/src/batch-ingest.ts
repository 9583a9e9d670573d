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
import { hash } from 'node:crypto'
import protobuf from 'protobufjs'
import { decodeMessage } from '../../proto/src/codec.ts'
import { reject } from '../../proto/src/reason-codes.ts'
import { Stream } from '../../proto/src/types.ts'
import type { TopicKind } from '../../proto/src/topics.ts'
import type { EncodedUpdateResult } from '../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../server/src/store/append-request.ts'
import type { KenError } from '../../proto/src/ken-error.ts'
import type { CsIdentity } from './identity.ts'
import { answered, appendItem, type IngestDeps } from './ingest.ts'

export interface BatchDeps extends IngestDeps {
  /** Most updates one batch may carry (gateway.maxBatchUpdates). */
  readonly maxBatchUpdates: number
}

/**
 * Run a batch through the steps and the store; resolves with the encoded UpdateBatchResult once every
 * element is committed. @throws a KEN_ERR_GW_* error when something was not committed (no PUBACK)
 */
export async function ingestBatch (identity: CsIdentity, payload: Buffer, deps: BatchDeps): Promise<Buffer> {
  const items = batchItems(identity, payload, deps)
  const results = await Promise.all(items.map(async (item) => await deps.append(item)))
  return encodeBatchResult(results.map((r) => answered(identity, r, deps)), hash('sha256', payload, 'buffer'))
}

function batchItems (identity: CsIdentity, payload: Buffer, deps: BatchDeps): OutgoingAppendItem[] {
  let updates: Uint8Array[]
  try {
    updates = decodeMessage('UpdateBatch', payload).updates
  } catch (err) {
    return [refusal(identity, payload, reject.KEN_REJECT_MALFORMED('not an UpdateBatch', { cause: err }))]
  }
  if (updates.length === 0) return [refusal(identity, payload, reject.KEN_REJECT_MALFORMED('an empty batch', { field: 'updates' }))]
  if (updates.length > deps.maxBatchUpdates) return [refusal(identity, payload, reject.KEN_REJECT_OVERSIZED(`${updates.length} > ${deps.maxBatchUpdates} updates`, { field: 'updates' }))]
  const updateTopic = topicOfUpdates(identity)
  return updates.map((u) => appendItem(identity, updateTopic, Buffer.from(u.buffer, u.byteOffset, u.byteLength), deps))
}

function topicOfUpdates (identity: CsIdentity): string {
  for (const t of identity.publishTopics) if (t.endsWith('/update')) return t
  throw new Error('a CS identity always has its update topic')
}

function refusal (identity: CsIdentity, payload: Buffer, err: KenError): OutgoingAppendItem {
  return {
    municipalityCode: identity.municipalityCode,
    payloadSha256: hash('sha256', payload, 'buffer'),
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
 * (limits.ts PublishPermits), counted over the wire format before ingest decodes it: one per element
 * of a batch, one for a batch refused whole (batchItems: malformed, empty or over `maxBatchUpdates` is
 * one rejection record), one for an update alone, none for a receipt request or a reconciliation
 * chunk (they commit no update).
 */
export function updatesOf (kind: TopicKind | undefined, payload: Uint8Array, maxBatchUpdates: number): number {
  if (kind === 'update') return 1
  if (kind !== 'updateBatch') return 0
  const reader = protobuf.Reader.create(payload)
  let n = 0
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      // UpdateBatch has one field, `repeated bytes updates = 1` (batch.proto); anything else is malformed.
      if (tag !== UPDATES_TAG) return 1
      reader.skipType(tag & 7)
      n++
    }
  } catch {
    return 1
  }
  return n === 0 || n > maxBatchUpdates ? 1 : n
}

/** Field 1, wire type 2 (length-delimited): protobuf encoding spec, "Message Structure". */
const UPDATES_TAG = (1 << 3) | 2
