/**
 * The tree's hashes (hash.ts, RFC 9162 §2.1.1) as binary strings — one char per byte, 0…255 — for
 * loops that hash millions of times (`ken-store verify`). Node's one-shot `hash()` costs ~0.8 µs more
 * per call when it returns a Buffer (a new backing store each time) than when it returns a latin1
 * string (measured on Node 20: 1.3 against 0.5 µs for 65 bytes); a 32-char string is written back into a reused
 * input buffer for the next level. The bytes are the same as hash.ts's; only the container differs.
 */
import { hash } from 'node:crypto'
import { HASH_SIZE } from './hash.ts'

/** A SHA-256 output held as a latin1 string of HASH_SIZE chars. */
export type BinaryHash = string

const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01)
// Read once: under tsx's CommonJS hook (the verify worker) `hash` would be a getter call at every use
// (store/chain-verifier.ts says why that is slow).
const digest = hash

/** SHA-256(0x01 ‖ left ‖ right), as nodeHash in hash.ts. */
export function nodeHashBinary (left: BinaryHash, right: BinaryHash): BinaryHash {
  // One write of the joined pair, not two: each Buffer#write is ~0.1 µs of argument checks (issue 18).
  NODE_INPUT.write(left + right, 1, 'latin1')
  return digest('sha256', NODE_INPUT, 'binary')
}

/** SHA-256 of `bytes` as a binary string. */
export function sha256Binary (bytes: Uint8Array): BinaryHash {
  // 'binary' is Node's name for latin1 as a digest encoding.
  return digest('sha256', bytes, 'binary')
}

/** The root of the complete subtree over leaves[start, start + size), size a power of two. */
export function subtreeBinary (leaves: readonly BinaryHash[], start: number, size: number): BinaryHash {
  if (size === 1) return leaves[start] as BinaryHash
  const half = size / 2
  return nodeHashBinary(subtreeBinary(leaves, start, half), subtreeBinary(leaves, start + half, half))
}

export function toBuffer (h: BinaryHash): Buffer {
  return Buffer.from(h, 'latin1')
}
