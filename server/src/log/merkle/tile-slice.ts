/**
 * The tree over a long log in parallel (`ken-store verify` on all cores): each worker hashes one
 * slice of consecutive leaves into complete 256-leaf tiles, keeps the loose leaves at its two ends,
 * and, for every checkpoint size inside it, the aligned subtrees from the last tile boundary (or its
 * own start) up to that size. `assembleRoots` joins the slices in order — tiles that straddle two
 * slices are hashed from both ends' leaves — and folds the root at every asked size. Pure; the same
 * roots as CompactRange over all the leaves (tests/unit/log/merkle/tile-slice.test.ts).
 */
import { CompactRange } from './compact-range.ts'
import { HASH_SIZE, nodeHash } from './hash.ts'
import { nodesOfRange } from './range.ts'
import { subtreeBinary, toBuffer, type BinaryHash } from './hash-binary.ts'
import { jsSha256Batch, type Sha256Batch } from './sha256-batch.ts'

const TILE_LEVEL = 8
const TILE = 2 ** TILE_LEVEL

export interface TileSliceResult {
  /** Leaf index of the first and one past the last leaf of the slice. */
  readonly begin: number
  readonly end: number
  /** Leaves before the first tile boundary at or after `begin` (a tile begun in an earlier slice). */
  readonly head: Buffer[]
  /** Hashes of the complete tiles inside the slice, the first at tile index ceil(begin / 256). */
  readonly tiles: Buffer[]
  /** Leaves after the last tile boundary, when it is inside the slice. */
  readonly tail: Buffer[]
  /** For each asked size inside the slice: hashes of nodesOfRange(max(tile start, begin), size). */
  readonly at: Array<{ readonly size: number, readonly nodes: Buffer[] }>
}

export class TileSlice {
  readonly #begin: number
  readonly #firstTile: number
  readonly #sizes: readonly number[]
  readonly #hasher: Sha256Batch
  #next = 0
  #end: number
  // Leaves before the first tile boundary: binary strings (hash-binary.ts), fewer than a tile.
  readonly #head: BinaryHash[] = []
  readonly #tiles: Buffer[] = []
  // The leaves of the tile being filled, back to back: hashed into its root in one call when full.
  readonly #tile = Buffer.alloc(TILE * HASH_SIZE)
  #filled = 0
  readonly #at: Array<{ size: number, nodes: BinaryHash[] }> = []

  /**
   * @param sizes the sizes (ascending) whose partial nodes to keep; those outside the slice are ignored
   * @param hasher the digests, a tile at a time (sha256-batch.ts: the addon's where built)
   */
  constructor (begin: number, sizes: readonly number[], hasher: Sha256Batch = jsSha256Batch) {
    this.#begin = begin
    this.#end = begin
    this.#firstTile = Math.ceil(begin / TILE) * TILE
    this.#sizes = sizes.filter((s) => s > begin)
    this.#hasher = hasher
  }

  /** The next leaf hash, as a binary string (sha256Binary of 0x00 ‖ entry). */
  push (leaf: BinaryHash): void {
    this.pushLeaves(Buffer.from(leaf, 'latin1'), 1)
  }

  /** The next `count` leaf hashes, back to back in leaves[0, 32·count). */
  pushLeaves (leaves: Buffer, count: number): void {
    let i = 0
    while (i < count) {
      if (this.#end < this.#firstTile) {
        this.#head.push(leaves.toString('latin1', HASH_SIZE * i, HASH_SIZE * (i + 1)))
        i++
        this.#end++
      } else {
        // As many as fit in the tile, stopping at the next asked size.
        const nextSize = this.#next < this.#sizes.length ? this.#sizes[this.#next] as number : Infinity
        const n = Math.min(count - i, TILE - this.#filled, nextSize - this.#end)
        leaves.copy(this.#tile, HASH_SIZE * this.#filled, HASH_SIZE * i, HASH_SIZE * (i + n))
        i += n
        this.#filled += n
        this.#end += n
      }
      if (this.#end >= this.#firstTile && this.#filled === TILE) {
        const root = Buffer.allocUnsafe(HASH_SIZE)
        this.#hasher.subtree(this.#tile, 0, TILE, root, 0)
        this.#tiles.push(root)
        this.#filled = 0
      }
      while (this.#next < this.#sizes.length && (this.#sizes[this.#next] as number) === this.#end) this.#keepAt(this.#end)
    }
  }

  /** The aligned subtrees from max(tile start, begin) up to `size`, the slice's end. */
  #keepAt (size: number): void {
    const lo = Math.max(Math.floor(size / TILE) * TILE, this.#begin)
    const leaves = lo < this.#firstTile ? this.#head : this.#tileLeaves()
    const offset = lo < this.#firstTile ? this.#begin : Math.floor(size / TILE) * TILE
    this.#at.push({ size, nodes: nodesOfRange(lo, size).map((n) => subtreeBinary(leaves, n.index * 2 ** n.level - offset, 2 ** n.level)) })
    this.#next++
  }

  #tileLeaves (): BinaryHash[] {
    return Array.from({ length: this.#filled }, (_, i) => this.#tile.toString('latin1', HASH_SIZE * i, HASH_SIZE * (i + 1)))
  }

  result (): TileSliceResult {
    return { begin: this.#begin, end: this.#end, head: this.#head.map(toBuffer), tiles: [...this.#tiles], tail: this.#tileLeaves().map(toBuffer), at: this.#at.map((a) => ({ size: a.size, nodes: a.nodes.map(toBuffer) })) }
  }
}

/**
 * The roots at `sizes` (each ≤ the slices' end) from consecutive slices covering [0, end).
 * @throws RangeError when the slices are not consecutive from 0
 */
export function assembleRoots (slices: readonly TileSliceResult[], sizes: readonly number[]): Map<number, Buffer> {
  const tiles: Buffer[] = []
  /** Leaves of the tile being completed across slices, from its start. */
  let loose: Buffer[] = []
  /** For each asked size: the aligned subtrees of [tile start, size), in order, with their levels. */
  const partial = new Map<number, Array<{ level: number, hash: Buffer }>>()
  let expected = 0
  for (const slice of slices) {
    if (slice.begin !== expected) throw new RangeError(`slice begins at ${slice.begin}, expected ${expected}`)
    expected = slice.end
    const tileStart = slice.begin - loose.length
    // Sizes inside this slice whose tile began in an earlier slice: the earlier slices' loose leaves first.
    for (const { size, nodes } of slice.at) {
      const lo = Math.max(Math.floor(size / TILE) * TILE, slice.begin)
      const before = lo > Math.floor(size / TILE) * TILE ? nodesOfRange(tileStart, lo).map((n) => ({ level: n.level, hash: subtree(loose, n.index * 2 ** n.level - tileStart, 2 ** n.level) })) : []
      partial.set(size, [...before, ...nodesOfRange(lo, size).map((n, i) => ({ level: n.level, hash: nodes[i] as Buffer }))])
    }
    loose = [...loose, ...slice.head]
    if (slice.end >= Math.ceil(slice.begin / TILE) * TILE && loose.length > 0) {
      if (loose.length !== TILE) throw new RangeError('a straddling tile is incomplete')
      tiles.push(subtree(loose, 0, TILE))
      loose = []
    }
    if (slice.end >= Math.ceil(slice.begin / TILE) * TILE) {
      tiles.push(...slice.tiles)
      loose = [...slice.tail]
    }
  }
  // The end of the log needs no asked size: its partial tile is the loose leaves left over.
  if (!partial.has(expected)) {
    const tileStart = expected - loose.length
    partial.set(expected, nodesOfRange(tileStart, expected).map((n) => ({ level: n.level, hash: subtree(loose, n.index * 2 ** n.level - tileStart, 2 ** n.level) })))
  }
  const roots = new Map<number, Buffer>()
  const edge = new CompactRange()
  let used = 0
  for (const size of [...sizes].sort((a, b) => a - b)) {
    if (size > expected) continue
    const full = Math.floor(size / TILE)
    while (used < full) edge.appendNode(TILE_LEVEL, tiles[used++] as Buffer)
    const at = edge.clone()
    const tileStart = full * TILE
    const nodes = size === tileStart ? [] : partial.get(size)
    if (nodes === undefined) throw new RangeError(`no partial nodes for size ${size}`)
    for (const n of nodes) at.appendNode(n.level, n.hash)
    roots.set(size, at.root())
  }
  return roots
}

function subtree (leaves: readonly Buffer[], start: number, size: number): Buffer {
  if (size === 1) return leaves[start] as Buffer
  const half = size / 2
  return nodeHash(subtree(leaves, start, half), subtree(leaves, start + half, half))
}
