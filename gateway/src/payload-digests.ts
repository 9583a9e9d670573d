/**
 * The payload digests the gateway sends with every item (AppendItem.payload_sha256, store.proto; the
 * store's duplicate check, SPEC §3 idempotence): SHA-256 of each update's payload, and for a batch
 * PUBLISH of each element and of the whole batch (its UpdateBatchResult.payload_sha256, batch.proto).
 * Node's crypto.hash() costs ~1 µs of call and EVP overhead per digest, more than SHA-256 itself over
 * a ~600-byte update (issue 18: 6.6 % of the gateway's CPU at batches of 64); the sha256-batch addon
 * (server/native/sha256-batch, `digests`) makes a whole PUBLISH's in one call, and where it is not
 * built the same digests run on node:crypto (sha256-batch.ts jsSha256Batch).
 */
import { HASH_SIZE } from '../../server/src/log/merkle/hash.ts'
import { sha256Batch } from '../../server/src/log/merkle/sha256-batch-file.ts'

const hasher = sha256Batch()
const WHOLE = new Int32Array(2)

/** SHA-256(payload), a Buffer of its own. */
export function payloadDigest (payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HASH_SIZE)
  WHOLE[1] = payload.length
  hasher.digests(payload, WHOLE, 1, out, 0)
  return out
}

/**
 * The digests of the `count` messages payload[spans[2i], spans[2i+1]) in one call: digest i at
 * [32i, +32) of the returned Buffer. `spans` may be longer than 2·count.
 */
export function spanDigests (payload: Uint8Array, spans: Int32Array, count: number): Buffer {
  const out = Buffer.allocUnsafe(HASH_SIZE * count)
  hasher.digests(payload, spans, count, out, 0)
  return out
}
