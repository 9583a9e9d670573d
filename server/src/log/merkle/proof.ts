/**
 * Building inclusion and consistency proofs (RFC 9162 §2.1.3.1 PATH, §2.1.4.1 SUBPROOF) in two pure
 * steps: which ranges of leaves a proof is made of, then their hashes from a NodeSource. A store
 * plans the nodes with `proofNodes`, reads them (a few reads at any size), and assembles.
 */
import { nodesOfRange, rangeHash, type LeafRange, type NodeId, type NodeSource } from './range.ts'
import { splitPoint } from './hash.ts'

/** The ranges whose hashes form the inclusion proof of leaf `index` in a tree of `size` (PATH). */
export function inclusionRanges (index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) throw new RangeError(`need 0 ≤ index < size (index ${index}, size ${size})`)
  const out: LeafRange[] = []
  const path = (m: number, start: number, end: number): void => {
    const n = end - start
    if (n === 1) return
    const k = splitPoint(n)
    if (m < k) {
      path(m, start, start + k)
      out.push([start + k, end])
    } else {
      path(m - k, start + k, end)
      out.push([start, start + k])
    }
  }
  path(index, 0, size)
  return out
}

/** The ranges of the consistency proof between trees of size `first` and `second` (SUBPROOF). */
export function consistencyRanges (first: number, second: number): LeafRange[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || first > second) throw new RangeError(`need 1 ≤ first ≤ second (first ${first}, second ${second})`)
  const out: LeafRange[] = []
  const subproof = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start
    if (m === n) {
      if (!complete) out.push([start, end])
      return
    }
    const k = splitPoint(n)
    if (m <= k) {
      subproof(m, start, start + k, complete)
      out.push([start + k, end])
    } else {
      subproof(m - k, start + k, end, false)
      out.push([start, start + k])
    }
  }
  subproof(first, 0, second, true)
  return out
}

/** Every complete subtree a list of ranges needs (deduplicated), to read in one go. */
export function proofNodes (ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>()
  for (const [start, end] of ranges) {
    for (const node of nodesOfRange(start, end)) seen.set(`${node.level}/${node.index}`, node)
  }
  return [...seen.values()]
}

/** The hashes of ranges. */
export function hashRanges (ranges: readonly LeafRange[], node: NodeSource): Buffer[] {
  return ranges.map(([start, end]) => rangeHash(start, end, node))
}

/** An inclusion proof built from a NodeSource. */
export function inclusionProof (index: number, size: number, node: NodeSource): Buffer[] {
  return hashRanges(inclusionRanges(index, size), node)
}

/** A consistency proof built from a NodeSource. */
export function consistencyProof (first: number, second: number, node: NodeSource): Buffer[] {
  return hashRanges(consistencyRanges(first, second), node)
}
