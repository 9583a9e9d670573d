/**
 * The chain hashes of a log block's forwards in one call (store.ts forwardEntries; issue 18): the
 * outbox gives each forward its entry's chain hash, and node:crypto's hash() made one a call — its
 * call and OpenSSL EVP overhead and a buffer of its own each, more than SHA-256 itself over a
 * 600-byte entry on a CPU with SHA extensions (server/log/merkle/sha256-batch.ts). The bytes are
 * log-block.ts frameHash's: SHA-256 over prev_hash ‖ entry.
 */
import { sha256Batch } from '../log/merkle/sha256-batch-file.ts'
import { HASH_BYTES } from './layout.ts'
import type { FrameRef } from './log-block.ts'

/** The addon's digests where it is built, else node:crypto's (sha256-batch-file.ts). */
const hasher = sha256Batch()
/** The spans of one call (start, end per frame), grown to the largest block and kept: digests is synchronous. */
let spans = new Int32Array(2 * 256)

/** frameHash(block, refs[which[k]]) for each k, in one call: views of one buffer made for them. */
export function frameHashes (block: Buffer, refs: readonly FrameRef[], which: readonly number[]): Buffer[] {
  const count = which.length
  if (spans.length < 2 * count) spans = new Int32Array(2 * count)
  for (let k = 0; k < count; k++) {
    const ref = refs[which[k] as number] as FrameRef
    spans[2 * k] = ref.start
    spans[2 * k + 1] = ref.end
  }
  const out = Buffer.allocUnsafe(HASH_BYTES * count)
  hasher.digests(block, spans, count, out, 0)
  const hashes = new Array<Buffer>(count)
  for (let k = 0; k < count; k++) hashes[k] = out.subarray(HASH_BYTES * k, HASH_BYTES * (k + 1))
  return hashes
}
