/**
 * The right edge of the tree (transparency-dev/merkle `compact`): the roots of the complete subtrees
 * that make up [0, size), largest first — at most log2(size) + 1 hashes. Appending a leaf merges
 * equal-sized neighbours, so the tree costs O(1) amortised hashes per entry and the root is a fold
 * of the edge. Each merge reports the complete node it made, which is what a store keeps.
 */
import { EMPTY_ROOT, nodeHash } from './hash.ts'
import { nodesOfRange, type NodeId } from './range.ts'

/** A complete subtree just made by an append. */
export interface NewNode extends NodeId {
  readonly hash: Buffer
}

export class CompactRange {
  #size: number
  /** Roots of the complete subtrees of [0, size), largest (leftmost) first. */
  readonly #hashes: Buffer[]

  /**
   * @param size the number of leaves the edge covers
   * @param hashes the hashes of `nodesOfRange(0, size)`, in that order
   */
  constructor (size = 0, hashes: readonly Buffer[] = []) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer')
    if (hashes.length !== nodesOfRange(0, size).length) throw new RangeError(`a compact range of size ${size} holds ${nodesOfRange(0, size).length} hashes, not ${hashes.length}`)
    this.#size = size
    this.#hashes = [...hashes]
  }

  get size (): number {
    return this.#size
  }

  /** The edge's subtrees, as `nodesOfRange(0, size)` names them, with their hashes. */
  nodes (): NewNode[] {
    return nodesOfRange(0, this.#size).map((node, i) => ({ ...node, hash: this.#hashes[i] as Buffer }))
  }

  /** Add the next leaf; returns the complete nodes this made (the leaf itself first, at level 0). */
  append (leaf: Buffer): NewNode[] {
    const index = this.#size
    const made: NewNode[] = [{ level: 0, index, hash: leaf }]
    let hash = leaf
    let level = 0
    // Each trailing 1 bit of the old size is a subtree of that level waiting for a right sibling.
    let bits = index
    while (bits % 2 === 1) {
      hash = nodeHash(this.#hashes.pop() as Buffer, hash)
      level += 1
      bits = Math.floor(bits / 2)
      made.push({ level, index: Math.floor(index / 2 ** level), hash })
    }
    this.#hashes.push(hash)
    this.#size += 1
    return made
  }

  /**
   * Add a complete subtree of 2^level leaves at the edge (its start, the current size, must be a
   * multiple of 2^level): what joining ranges hashed elsewhere needs (tile-slice.ts).
   */
  appendNode (level: number, hash: Buffer): void {
    const width = 2 ** level
    if (this.#size % width !== 0) throw new RangeError(`a subtree of ${width} leaves cannot start at ${this.#size}`)
    let index = this.#size / width
    let h = hash
    while (index % 2 === 1) {
      h = nodeHash(this.#hashes.pop() as Buffer, h)
      index = Math.floor(index / 2)
    }
    this.#hashes.push(h)
    this.#size += width
  }

  /** MTH(D[0:size]). */
  root (): Buffer {
    if (this.#hashes.length === 0) return EMPTY_ROOT
    let root = this.#hashes[this.#hashes.length - 1] as Buffer
    for (let i = this.#hashes.length - 2; i >= 0; i--) root = nodeHash(this.#hashes[i] as Buffer, root)
    return root
  }

  clone (): CompactRange {
    return new CompactRange(this.#size, this.#hashes)
  }
}
