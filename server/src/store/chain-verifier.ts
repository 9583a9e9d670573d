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
import { toBuffer, type BinaryHash, type TileSliceResult } from '../log/merkle/index.ts'
import { jsSha256Batch, type Sha256Batch } from '../log/merkle/sha256-batch.ts'

// The per-entry loop's imported constants and functions, read once: compiled by tsx's CommonJS hook
// (the verify worker, verify-parallel.ts) an imported binding is a getter on the exporting module's
// exports object, called at every use and not inlined by V8 once that object has many properties
// (measured: ~17 % of a worker's walk, issue 18).
const HASH = HASH_BYTES
const OVERHEAD = FRAME_OVERHEAD
const positionOf = entryPosition
const positionOfKey = readPosition

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
 * Told of the Merkle leaves of a block's entries that chained, in order (the verify workers' tree):
 * leaves[32i, 32i + 32) is SHA-256(0x00 ‖ entry) of the entry at `position` + i, for i < count.
 */
export type OnLeaves = (leaves: Buffer, count: number, position: number) => void

/** Frames per block the per-block buffers are first sized for (a commit group's block holds ~500). */
const FRAMES = 1024

/** Asks the hasher for no leaves: a walk without the tree (sha256-batch.ts). */
const NO_LEAVES = Buffer.alloc(0)

export class ChainVerifier {
  #expected: number
  // A binary string (hash-binary.ts), kept between blocks: the last chained entry's hash.
  #hash: BinaryHash | undefined
  #entries = 0
  #firstPosition = 0
  #firstPrev: Buffer | undefined
  #issue: ChainIssue | undefined
  readonly #hasher: Sha256Batch
  // A block's frames (start, end of each hashed region), hashed in one call into its leaves and the
  // last chained entry's hash.
  #spans: Int32Array = new Int32Array(2 * FRAMES)
  readonly #last = Buffer.alloc(HASH)
  #leaves = Buffer.alloc(HASH * FRAMES)

  /**
   * @param startPosition the position the first entry must carry, or 0 to accept the first block's
   * @param startHash the hash the first entry must chain to, or undefined to accept (and report) it
   * @param hasher the digests, a block at a time (sha256-batch.ts: the addon's where built)
   */
  constructor (startPosition: number, startHash: Buffer | undefined, hasher: Sha256Batch = jsSha256Batch) {
    this.#expected = startPosition
    this.#hash = startHash?.toString('latin1')
    this.#hasher = hasher
  }

  /** Check one block; false once an issue was found (stop feeding). */
  block (key: Buffer, block: Buffer, onLeaves?: OnLeaves): boolean {
    if (this.#issue !== undefined) return false
    const keyPosition = key.length === 8 ? positionOfKey(key) : -1
    if (this.#expected === 0) this.#expected = keyPosition
    if (keyPosition !== this.#expected) {
      return this.#fail(Math.min(this.#expected, keyPosition < 1 ? this.#expected : keyPosition), keyPosition > this.#expected ? 'missing' : 'reordered', `block key ${keyPosition}, expected ${this.#expected}`)
    }
    // First the frames and the positions they carry, read in place (log-block.ts nextFrame), up to the
    // first one that is malformed or out of place; then their hashes in one call. Entry by entry, a
    // frame's position is checked before its link, so a broken link before that frame is the verdict.
    const first = this.#expected
    let spans = this.#spans
    let count = 0
    let offset = 0
    let stop: ChainIssueKind | undefined
    let detail = ''
    while (offset < block.length) {
      if (offset + OVERHEAD > block.length) {
        stop = 'malformed'
        detail = 'frame runs past the end of its block'
        break
      }
      const start = offset + OVERHEAD - HASH
      const end = offset + OVERHEAD + block.readUInt32BE(offset)
      if (end > block.length) {
        stop = 'malformed'
        detail = 'frame runs past the end of its block'
        break
      }
      const position = positionOf(block, start + HASH, end)
      if (position !== first + count) {
        // An entry under another block's key was moved there; an entry beyond the expected one means
        // the expected one is not here; an earlier one again means entries were put out of order.
        const moved = offset === 0 && position !== keyPosition
        stop = position < 0 ? 'malformed' : moved || position < first + count ? 'reordered' : 'missing'
        detail = `entry carries position ${position}`
        break
      }
      if (2 * count + 2 > spans.length) spans = this.#growSpans()
      spans[2 * count] = start
      spans[2 * count + 1] = end
      count++
      offset = end
    }
    if (count > 0) {
      const start = spans[0] as number
      if (this.#hash === undefined) {
        this.#firstPrev = Buffer.from(block.subarray(start, start + HASH))
      } else if (!holds(block, start, this.#hash)) {
        // The previous entry's bytes (or this entry's link) changed: the chain holds up to position - 2.
        return this.#fail(first - 1, 'changed', `entry ${first} does not chain to entry ${first - 1}`)
      }
      if (HASH * count > this.#leaves.length) this.#leaves = Buffer.alloc(HASH * count * 2)
      // hash(entry) = SHA-256(prev_hash ‖ entry): the frame minus its length prefix (log-block.ts).
      const linked = this.#hasher.frames(block, spans, count, this.#last, onLeaves === undefined ? NO_LEAVES : this.#leaves)
      if (this.#firstPosition === 0) this.#firstPosition = first
      this.#hash = this.#last.toString('latin1')
      this.#entries += linked
      this.#expected = first + linked
      onLeaves?.(this.#leaves, linked, first)
      if (linked < count) return this.#fail(first + linked - 1, 'changed', `entry ${first + linked} does not chain to entry ${first + linked - 1}`)
    }
    if (stop !== undefined) return this.#fail(this.#expected, stop, detail)
    if (offset === 0) return this.#fail(this.#expected, 'malformed', 'empty block')
    return true
  }

  #growSpans (): Int32Array {
    const spans = new Int32Array(this.#spans.length * 2)
    spans.set(this.#spans)
    this.#spans = spans
    return spans
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
