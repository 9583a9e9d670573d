/**
 * The digests of `ken-store verify`, a block or a tile at a time, the index worker's blind
 * indexes, a request at a time, and the gateway's payload digests, a PUBLISH at a time (issue 18; SPEC §8: 5 M entries in
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
import { createHash, createHmac, hash } from 'node:crypto'
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
  /**
   * The blind indexes of store/blind-index.ts, `count` at once (the index worker's ~9 per update).
   * `secrets` = index key ‖ search key (32 bytes each); item i's message is messages[spans[3i],
   * spans[3i+1]) and its kind spans[3i+2]: 0 = HMAC-SHA-256(index key, message) (RFC 2104),
   * 1 = SHA-256(search key ‖ message). out[outOffset + 16i, +16) = its first 16 bytes (TOKEN_BYTES).
   * @throws RangeError (ERR_INVALID_ARG_VALUE) when a span, a kind or the output lies outside its bounds
   */
  readonly tokens: (secrets: Uint8Array, messages: Uint8Array, spans: Int32Array, count: number, out: Uint8Array, outOffset: number) => void
  /**
   * The gateway's payload digests (gateway/src/payload-digests.ts), `count` at once:
   * out[outOffset + 32i, +32) = SHA-256(messages[spans[2i], spans[2i+1])).
   * @throws RangeError (ERR_INVALID_ARG_VALUE) when a span or the output lies outside its bounds
   */
  readonly digests: (messages: Uint8Array, spans: Int32Array, count: number, out: Uint8Array, outOffset: number) => void
}

/** What `tokens` makes of a message: its kind, spans[3i + 2] (sha256_batch.c tokens). */
export const TokenKind = { HMAC: 0, SEARCH: 1 } as const
export type TokenKind = typeof TokenKind[keyof typeof TokenKind]

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
  },
  tokens (secrets: Uint8Array, messages: Uint8Array, spans: Int32Array, count: number, out: Uint8Array, outOffset: number): void {
    if (secrets.length !== 2 * HASH) throw invalid('secrets must be 64 bytes')
    if (count * 3 > spans.length || outOffset + count * TOKEN > out.length) throw invalid('count exceeds spans or out')
    for (let i = 0; i < count; i++) {
      const start = spans[3 * i] as number
      const end = spans[3 * i + 1] as number
      const kind = spans[3 * i + 2] as number
      if (start < 0 || end < start || end > messages.length) throw invalid('a span lies outside the messages')
      if (kind !== TokenKind.HMAC && kind !== TokenKind.SEARCH) throw invalid('a kind is neither 0 (HMAC) nor 1 (search)')
    }
    for (let i = 0; i < count; i++) {
      const message = messages.subarray(spans[3 * i] as number, spans[3 * i + 1] as number)
      const token = spans[3 * i + 2] === TokenKind.HMAC
        ? createHmac('sha256', secrets.subarray(0, HASH)).update(message).digest()
        : createHash('sha256').update(secrets.subarray(HASH)).update(message).digest()
      out.set(token.subarray(0, TOKEN), outOffset + TOKEN * i)
    }
  },
  digests (messages: Uint8Array, spans: Int32Array, count: number, out: Uint8Array, outOffset: number): void {
    if (count * 2 > spans.length || outOffset + count * HASH > out.length) throw invalid('count exceeds spans or out')
    for (let i = 0; i < count; i++) {
      const start = spans[2 * i] as number
      const end = spans[2 * i + 1] as number
      if (start < 0 || end < start || end > messages.length) throw invalid('a span lies outside the messages')
    }
    for (let i = 0; i < count; i++) {
      out.set(digest('sha256', messages.subarray(spans[2 * i] as number, spans[2 * i + 1] as number), 'buffer'), outOffset + HASH * i)
    }
  }
})

/** Bytes of a blind index (store/layout.ts TOKEN_BYTES). */
const TOKEN = 16

/** The addon's error for an argument out of bounds (napi-args.h fail). */
function invalid (message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'ERR_INVALID_ARG_VALUE' })
}

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
  const { frames, subtree, tokens, digests } = module.exports
  if (typeof frames !== 'function' || typeof subtree !== 'function' || typeof tokens !== 'function' || typeof digests !== 'function') throw new TypeError(`${file} is not the sha256-batch addon (or was built before digests: bash server/native/sha256-batch/build.sh)`)
  return { frames, subtree, tokens, digests }
}
