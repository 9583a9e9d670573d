/**
 * The checks of one reconciliation chunk before the store looks at it (SPEC §5.3). A refusal is a
 * coded KEN_REJECT_* that reaches the CS in ReconcileResult.reason_code; nothing of the chunk is kept.
 */
import { decode } from '../../../../proto/src/codec.ts'
import { reject } from '../../../../proto/src/reason-codes.ts'
import { DIGEST_ITEMS, ITEM_DIGEST_BYTES } from '../../../../proto/src/reconcile-digest.ts'
import type { ReconcileChunk } from '../../../../proto/src/types.ts'

/** Records in one chunk at most: a chunk is one MQTT message (gateway maxPacketBytes). */
export const MAX_RECORDS_PER_CHUNK = 5000
const MAX_CHUNKS = 1_000_000
const SESSION = /^[0-9A-Za-z-]{1,64}$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const CODE = /^[0-9]{11}$/

/** Decode and check a chunk sent under `municipalityCode` (the certificate's). @throws KEN_REJECT_* */
export function checkChunk (municipalityCode: string, bytes: Uint8Array): ReconcileChunk {
  const chunk = decode('ReconcileChunk', bytes)
  // SPEC §5.3 with §3: a CS reconciles its own municipality only; the certificate decides, not the chunk.
  if (chunk.municipalityCode !== municipalityCode) throw reject.KEN_REJECT_MUNICIPALITY_MISMATCH(undefined, { field: 'municipality_code' })
  if (!SESSION.test(chunk.sessionId)) throw reject.KEN_REJECT_RECONCILE_SESSION('session id', { field: 'session_id' })
  if (chunk.chunkCount < 1 || chunk.chunkCount > MAX_CHUNKS || chunk.chunkIndex >= chunk.chunkCount) throw reject.KEN_REJECT_RECONCILE_SESSION('chunk index/count', { field: 'chunk_index' })
  if (!DATE.test(chunk.snapshotDate) || Number.isNaN(Date.parse(chunk.snapshotDate))) throw reject.KEN_REJECT_BAD_DATE(undefined, { field: 'snapshot_date' })
  if (chunk.records.length > MAX_RECORDS_PER_CHUNK) throw reject.KEN_REJECT_OVERSIZED(`more than ${MAX_RECORDS_PER_CHUNK} records`, { field: 'records' })
  for (const r of chunk.records) {
    if (!CODE.test(r.juminhyoCode)) throw reject.KEN_REJECT_BAD_JUMINHYO_CODE(undefined, { field: 'records.juminhyo_code' })
    if (r.contentDigest.length !== 32) throw reject.KEN_REJECT_MALFORMED('content digest must be 32 bytes', { field: 'records.content_digest' })
    if (r.itemDigests.length !== 0 && r.itemDigests.length !== DIGEST_ITEMS.length * ITEM_DIGEST_BYTES) throw reject.KEN_REJECT_MALFORMED('item digests', { field: 'records.item_digests' })
  }
  return chunk
}
