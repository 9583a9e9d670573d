/**
 * A commit group's batch as LevelDB's serialized WriteBatch (leveldb-1.20 db/write_batch.cc, the
 * `rep_` WriteBatch::Put and WriteBatch::Delete build), laid out here in one buffer and handed to
 * classic-level in one call (patches/classic-level-3.0.0-batch-contents.patch, `writeBatchContents`):
 *
 *     rep    := sequence (8 bytes, LE; DBImpl::Write sets it) ‖ count (4 bytes, LE) ‖ record*
 *     record := kTypeValue (1) ‖ varint32 key length ‖ key ‖ varint32 value length ‖ value
 *             | kTypeDeletion (0) ‖ varint32 key length ‖ key
 *
 * where each key is the space's sublevel prefix (`!space!`) ‖ the op's key. These are the bytes a
 * chained batch of the same ops builds (one put or del per op, in order), so LevelDB's write-ahead
 * log and tables are unchanged; what goes is a native call and two copies per key and value, and a
 * Buffer.concat per key (issue 18: the store's serial thread).
 */
import type { Space, WriteOp } from './layout.ts'

/** db/write_batch.cc kHeader: the sequence number and the count. */
const HEADER_BYTES = 12
/** db/dbformat.h ValueType. */
const TYPE_DELETION = 0
const TYPE_VALUE = 1

/** Bytes of `n` as a varint32 (util/coding.cc PutVarint32). */
function varint32Length (n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5
}

function writeVarint32 (out: Buffer, at: number, n: number): number {
  let v = n >>> 0
  while (v >= 0x80) {
    out[at++] = (v & 0x7f) | 0x80
    v >>>= 7
  }
  out[at++] = v
  return at
}

/**
 * The WriteBatch contents of `ops`, in order, each key under `prefixOf(op.space)`. LevelDB limits a
 * key or value to a varint32's range; a batch's ops never come near it (keys ≤ 64 bytes, values a
 * sealed record or one group's log block), and a JS array's length always fits the 4-byte count.
 * Any kind of space: the national simulator's store (tests/sim/national/sim-store.ts) writes its own.
 */
export function batchContents<S = Space> (ops: ReadonlyArray<WriteOp<S>>, prefixOf: (space: S) => Buffer): Buffer {
  let size = HEADER_BYTES
  for (const op of ops) {
    const keyLength = prefixOf(op.space).length + op.key.length
    size += 1 + varint32Length(keyLength) + keyLength
    if (op.value !== null) size += varint32Length(op.value.length) + op.value.length
  }
  const out = Buffer.allocUnsafe(size)
  out.fill(0, 0, 8)
  out.writeUInt32LE(ops.length, 8)
  let at = HEADER_BYTES
  for (const op of ops) {
    const prefix = prefixOf(op.space)
    out[at++] = op.value === null ? TYPE_DELETION : TYPE_VALUE
    at = writeVarint32(out, at, prefix.length + op.key.length)
    out.set(prefix, at)
    at += prefix.length
    out.set(op.key, at)
    at += op.key.length
    if (op.value !== null) {
      at = writeVarint32(out, at, op.value.length)
      out.set(op.value, at)
      at += op.value.length
    }
  }
  return out
}
