/**
 * The log's on-disk layout (docs/store-contract.md "Entry format"). Every commit group is written as
 * one LevelDB value — a block — under the position of its first entry (8 bytes BE). A block is the
 * concatenation of its entries' frames:
 *
 *     frame := length (u32 BE, of entry) ‖ prev_hash (32) ‖ entry (protobuf ken.v1.LogEntry)
 *     hash(entry) = SHA-256(prev_hash ‖ entry)      — the frame minus its length prefix
 *
 * Blocks are written once and never rewritten. Packing a group into one value lets `verify` stream
 * millions of entries with one read and no allocation per entry (SPEC §8: 5 M entries in < 10 s).
 */
import { hash } from 'node:crypto'
import { HASH_BYTES } from './layout.ts'

/** The chain's anchor: the previous hash of position 1. */
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_BYTES)

const LENGTH_BYTES = 4
export const FRAME_OVERHEAD = LENGTH_BYTES + HASH_BYTES

/** One framed entry, ready to be concatenated into a block, with its chain hash. */
export interface Frame {
  readonly frame: Buffer
  readonly hash: Buffer
}

/**
 * Frame `entry` after `prevHash` and compute its chain hash. Frame and hash share one allocation (a
 * slice of Buffer's pool), and the digest is asked as a binary string: a Buffer digest is an
 * ArrayBuffer of its own per entry (a malloc, then work for V8's ArrayBuffer sweeper; issue 18).
 */
export function frameEntry (prevHash: Uint8Array, entry: Uint8Array): Frame {
  const out = Buffer.allocUnsafe(FRAME_OVERHEAD + entry.length + HASH_BYTES)
  out.set(entry, FRAME_OVERHEAD)
  return frameInPlace(prevHash, out)
}

/**
 * {@link frameEntry} for an entry already encoded at offset FRAME_OVERHEAD of `out`, which has
 * HASH_BYTES of room after it for the hash (stored-encode.ts encodeUpdateEntry leaves both): the same
 * frame and hash without copying the entry again.
 */
export function frameInPlace (prevHash: Uint8Array, out: Buffer): Frame {
  const end = out.length - HASH_BYTES
  out.writeUInt32BE(end - FRAME_OVERHEAD, 0)
  out.set(prevHash, LENGTH_BYTES)
  const frame = out.subarray(0, end)
  out.write(hash('sha256', out.subarray(LENGTH_BYTES, end), 'binary'), end, HASH_BYTES, 'latin1')
  return { frame, hash: out.subarray(end) }
}

/** An entry found in a block: offsets into the block, so reading allocates nothing per entry. */
export interface FrameRef {
  /** Offset of the frame's prev_hash (the hashed region starts here). */
  readonly start: number
  /** Offset just past the entry bytes. */
  readonly end: number
}

/**
 * Walk the frames of a block. Returns the frame offsets, or the offset where the block stops
 * making sense (a length that runs past the end).
 */
export function nextFrame (block: Buffer, offset: number): FrameRef | undefined {
  if (offset + FRAME_OVERHEAD > block.length) return undefined
  const length = block.readUInt32BE(offset)
  const end = offset + FRAME_OVERHEAD + length
  if (end > block.length) return undefined
  return { start: offset + LENGTH_BYTES, end }
}

/** The hash of a framed entry (SHA-256 over prev_hash ‖ entry). */
export function frameHash (block: Buffer, ref: FrameRef): Buffer {
  return hash('sha256', block.subarray(ref.start, ref.end), 'buffer')
}

/** The entry bytes of a frame. */
export function frameEntryBytes (block: Buffer, ref: FrameRef): Buffer {
  return block.subarray(ref.start + HASH_BYTES, ref.end)
}

/**
 * The position an entry carries, read from its protobuf bytes without decoding: LogEntry.position
 * is field 1 (tag 0x08), written first. Returns -1 when the entry does not start that way.
 */
export function entryPosition (block: Buffer, entryStart: number, entryEnd: number): number {
  if (entryStart >= entryEnd || block[entryStart] !== 0x08) return -1
  let value = 0
  let scale = 1
  for (let i = entryStart + 1; i < entryEnd && i < entryStart + 9; i++) {
    const byte = block[i] ?? 0
    value += (byte & 0x7f) * scale
    if ((byte & 0x80) === 0) return value
    scale *= 128
  }
  return -1
}
