/**
 * The digests of `ken-store verify`, a block or a tile at a time (issue 18; SPEC §8: 5 M entries in
 * < 10 s on 2 cores). Per entry verify makes three digests — its chain hash, its Merkle leaf and
 * about one tree node — and Node's crypto.hash() costs ~0.5 µs of call and OpenSSL EVP overhead
 * each, more than SHA-256 itself over a 620-byte entry on a CPU with SHA extensions. The native
 * addon in server/native/sha256-batch makes a whole block's, or a whole tile's, in one call; where it is not
 * built, the same functions run on node:crypto (`jsSha256Batch`). The bytes are those of hash.ts
 * (RFC 9162 §2.1.1) and store/log-block.ts either way.
 * No import.meta here: the verify worker loads this through tsx's CommonJS hook (verify-worker.ts);
 * the addon's file is found by sha256-batch-file.ts.
 */
import { existsSync } from 'node:fs'
import { hash } from 'node:crypto'
import { subtreeBinary } from './hash-binary.ts'
import { HASH_SIZE } from './hash.ts'

export interface Sha256Batch {
  /**
   * For frame i < count, whose hashed region is block[spans[2i], spans[2i+1]) = prev_hash ‖ entry, in
   * order up to the first whose prev_hash is not frame i − 1's chain hash SHA-256(prev_hash ‖ entry):
   * leaves[32i, +32) = SHA-256(0x00 ‖ entry), its Merkle leaf, unless `leaves` is empty (a walk
   * without the tree: no leaves are made). Returns how many frames were so hashed
   * (count when every frame links to the one before it) and writes the last one's chain hash to
   * last[0, 32) (when there was one).
   */
  readonly frames: (block: Buffer, spans: Int32Array, count: number, last: Buffer, leaves: Buffer) => number
  /**
   * out[outOffset, +32) = the root of the complete subtree over the `size` (a power of two, ≤ 4096)
   * 32-byte hashes at leaves[offset, offset + 32·size).
   */
  readonly subtree: (leaves: Buffer, offset: number, size: number, out: Buffer, outOffset: number) => void
}

// Read once: under tsx's CommonJS hook `hash` would be a getter call at every use (store/chain-verifier.ts).
const digest = hash
const HASH = HASH_SIZE
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01)

/** The same functions on node:crypto's one-shot hash(), with binary strings as hash-binary.ts says why. */
export const jsSha256Batch: Sha256Batch = Object.freeze({
  frames (block: Buffer, spans: Int32Array, count: number, last: Buffer, leaves: Buffer): number {
    let chain = ''
    let i = 0
    for (; i < count; i++) {
      const start = spans[2 * i] as number
      const end = spans[2 * i + 1] as number
      if (i > 0 && !holds(block, start, chain)) break
      chain = digest('sha256', block.subarray(start, end), 'binary')
      if (leaves.length === 0) continue
      // SHA-256(0x00 ‖ entry) in place: the last byte of prev_hash stands in for the 0x00 prefix for
      // the one call and is put back — no copy of the entry.
      const at = start + HASH - 1
      const kept = block[at] as number
      block[at] = 0x00
      leaves.write(digest('sha256', block.subarray(at, end), 'binary'), HASH * i, 'latin1')
      block[at] = kept
    }
    if (i > 0) last.write(chain, 0, 'latin1')
    return i
  },
  subtree (leaves: Buffer, offset: number, size: number, out: Buffer, outOffset: number): void {
    if (size === 1) {
      leaves.copy(out, outOffset, offset, offset + HASH)
      return
    }
    // The lowest level straight from the packed pairs, the levels above on binary strings.
    const nodes = Array.from({ length: size / 2 }, (_, i) => {
      leaves.copy(NODE_INPUT, 1, offset + 2 * HASH * i, offset + 2 * HASH * (i + 1))
      return digest('sha256', NODE_INPUT, 'binary')
    })
    out.write(subtreeBinary(nodes, 0, size / 2), outOffset, 'latin1')
  }
})

/** Whether block[at, at + 32) is `hash` (a binary string). */
function holds (block: Buffer, at: number, hash: string): boolean {
  for (let i = 0; i < HASH; i++) if (block[at + i] !== hash.charCodeAt(i)) return false
  return true
}

/**
 * The addon built at `file` (server/native/sha256-batch, `bash server/native/sha256-batch/build.sh`), or undefined
 * when it was not built there. A file that is there but does not load is an error, not a fallback.
 */
export function loadSha256Batch (file: string | undefined): Sha256Batch | undefined {
  if (file === undefined || !existsSync(file)) return undefined
  const module = { exports: {} as Partial<Sha256Batch> }
  process.dlopen(module, file)
  const { frames, subtree } = module.exports
  if (typeof frames !== 'function' || typeof subtree !== 'function') throw new TypeError(`${file} is not the sha256-batch addon`)
  return { frames, subtree }
}
