/**
 * The hash-chain check behind `ken-store verify` (SPEC §4: tampering with the files is detected).
 * Fed the log's blocks in key order, it recomputes every entry hash and checks that
 * - each block's key is the position of its first entry, and positions run 1, 2, 3, … with no gap;
 * - each entry's prev_hash is the hash of the entry before it.
 * A changed entry breaks the link to the next one; a removed entry leaves a gap; reordered entries
 * carry positions out of order. The first bad position is reported and the walk stops.
 * One verifier may cover a slice of the log (worker threads); the slices are stitched by verify.ts.
 */
import { entryPosition, FRAME_OVERHEAD } from './log-block.ts'
import { HASH_BYTES, readPosition } from './layout.ts'
import { sha256Binary, toBuffer, type BinaryHash, type TileSliceResult } from '../log/merkle/index.ts'

// The per-entry loop's imported constants and functions, read once: compiled by tsx's CommonJS hook
// (the verify worker, verify-parallel.ts) an imported binding is a getter on the exporting module's
// exports object, called at every use and not inlined by V8 once that object has many properties
// (measured: ~17 % of a worker's walk, issue 18).
const HASH = HASH_BYTES
const OVERHEAD = FRAME_OVERHEAD
const positionOf = entryPosition
const positionOfKey = readPosition
const sha256 = sha256Binary

/** What is wrong at the first bad position. */
export type ChainIssueKind = 'changed' | 'missing' | 'reordered' | 'malformed' | 'truncated'

export interface ChainIssue {
  readonly position: number
  readonly kind: ChainIssueKind
  readonly detail: string
}

/** Where a verified slice starts and ends, for stitching slices together. */
export interface ChainSlice {
  readonly entries: number
  readonly firstPosition: number
  readonly firstPrev: Buffer | undefined
  readonly lastPosition: number
  readonly lastHash: Buffer | undefined
  readonly issue: ChainIssue | undefined
  /** The Merkle tree's pieces of this slice, when a worker was asked for them (verify-range.ts). */
  readonly tree?: TileSliceResult
}

/**
 * Told of every entry that chained, in order, while its block is at hand (the verify workers' leaves):
 * its frame's hashed region is block[start, end) — prev_hash, then the entry.
 */
export type OnEntry = (block: Buffer, start: number, end: number) => void

export class ChainVerifier {
  #expected: number
  // A binary string (hash-binary.ts): millions of hashes, each ~0.8 µs cheaper than a Buffer.
  #hash: BinaryHash | undefined
  #entries = 0
  #firstPosition = 0
  #firstPrev: Buffer | undefined
  #issue: ChainIssue | undefined

  /**
   * @param startPosition the position the first entry must carry, or 0 to accept the first block's
   * @param startHash the hash the first entry must chain to, or undefined to accept (and report) it
   */
  constructor (startPosition: number, startHash: Buffer | undefined) {
    this.#expected = startPosition
    this.#hash = startHash?.toString('latin1')
  }

  /** Check one block; false once an issue was found (stop feeding). */
  block (key: Buffer, block: Buffer, onEntry?: OnEntry): boolean {
    if (this.#issue !== undefined) return false
    const keyPosition = key.length === 8 ? positionOfKey(key) : -1
    if (this.#expected === 0) this.#expected = keyPosition
    if (keyPosition !== this.#expected) {
      return this.#fail(Math.min(this.#expected, keyPosition < 1 ? this.#expected : keyPosition), keyPosition > this.#expected ? 'missing' : 'reordered', `block key ${keyPosition}, expected ${this.#expected}`)
    }
    let offset = 0
    while (offset < block.length) {
      // The frame read in place (log-block.ts nextFrame): no object per entry, millions of times.
      if (offset + OVERHEAD > block.length) return this.#fail(this.#expected, 'malformed', 'frame runs past the end of its block')
      const start = offset + OVERHEAD - HASH
      const end = offset + OVERHEAD + block.readUInt32BE(offset)
      if (end > block.length) return this.#fail(this.#expected, 'malformed', 'frame runs past the end of its block')
      const position = positionOf(block, start + HASH, end)
      if (position !== this.#expected) {
        // An entry under another block's key was moved there; an entry beyond the expected one means
        // the expected one is not here; an earlier one again means entries were put out of order.
        const moved = offset === 0 && position !== keyPosition
        const kind = position < 0 ? 'malformed' : moved || position < this.#expected ? 'reordered' : 'missing'
        return this.#fail(this.#expected, kind, `entry carries position ${position}`)
      }
      if (this.#hash === undefined) {
        this.#firstPrev = Buffer.from(block.subarray(start, start + HASH))
      } else if (!holds(block, start, this.#hash)) {
        // The previous entry's bytes (or this entry's link) changed: the chain holds up to position - 2.
        return this.#fail(position - 1, 'changed', `entry ${position} does not chain to entry ${position - 1}`)
      }
      if (this.#firstPosition === 0) this.#firstPosition = position
      // hash(entry) = SHA-256(prev_hash ‖ entry): the frame minus its length prefix (log-block.ts).
      this.#hash = sha256(block.subarray(start, end))
      onEntry?.(block, start, end)
      this.#entries++
      this.#expected++
      offset = end
    }
    if (offset === 0) return this.#fail(this.#expected, 'malformed', 'empty block')
    return true
  }

  /** The expected head, checked after the last block (the views' recorded head, when there is one). */
  end (head: { position: number, hash: Buffer } | undefined): void {
    if (this.#issue !== undefined) return
    this.#issue = endIssue(this.#expected - 1, this.#hash === undefined ? undefined : toBuffer(this.#hash), head)
  }

  get issue (): ChainIssue | undefined {
    return this.#issue
  }

  slice (): ChainSlice {
    return { entries: this.#entries, firstPosition: this.#firstPosition, firstPrev: this.#firstPrev, lastPosition: this.#expected - 1, lastHash: this.#hash === undefined ? undefined : toBuffer(this.#hash), issue: this.#issue }
  }

  #fail (position: number, kind: ChainIssueKind, detail: string): false {
    this.#issue = { position: Math.max(position, 1), kind, detail }
    return false
  }
}

/**
 * The log must reach the head the views recorded (written in the same batch as each group), and end
 * in the same hash: otherwise entries were cut off the end, or the last one changed.
 */
export function endIssue (lastPosition: number, lastHash: Buffer | undefined, head: { position: number, hash: Buffer } | undefined): ChainIssue | undefined {
  if (head === undefined) return undefined
  if (lastPosition < head.position) return { position: lastPosition + 1, kind: 'truncated', detail: `log ends at ${lastPosition}, head is ${head.position}` }
  if (lastPosition === head.position && lastHash !== undefined && !lastHash.equals(head.hash)) return { position: lastPosition, kind: 'changed', detail: 'last entry does not match the recorded head' }
  return undefined
}

/** Whether block[at, at + 32) is `hash` (a binary string): compared in place, no string made per entry. */
function holds (block: Buffer, at: number, hash: BinaryHash): boolean {
  for (let i = 0; i < HASH; i++) if (block[at + i] !== hash.charCodeAt(i)) return false
  return true
}
