/**
 * Subtrees as ranges of leaves (RFC 9162 §2.1.1). Every range a proof names is [start, end) with
 * `start` a multiple of the largest power of two not above end − start; such a range is a run of
 * complete, aligned subtrees, the nodes a store keeps. These functions plan which nodes a range
 * needs and fold them; they do no I/O — the store (or a test) supplies the node hashes.
 */
import { EMPTY_ROOT, nodeHash, splitPoint } from './hash.ts'

/** A complete subtree: 2^level leaves starting at index · 2^level. */
export interface NodeId {
  readonly level: number
  readonly index: number
}

/** [start, end) of leaf indices (0-based). */
export type LeafRange = readonly [start: number, end: number]

/** The complete subtrees of [start, end), left to right (largest first). */
export function nodesOfRange (start: number, end: number): NodeId[] {
  const out: NodeId[] = []
  let at = start
  while (at < end) {
    let size = 1
    // Grow while still aligned at `at` and inside the range.
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2
    out.push({ level: Math.log2(size), index: at / size })
    at += size
  }
  return out
}

/** The leaf range a node covers. */
export function rangeOfNode (node: NodeId): LeafRange {
  const size = 2 ** node.level
  return [node.index * size, (node.index + 1) * size]
}

/** A source of complete-subtree hashes. */
export type NodeSource = (node: NodeId) => Buffer

/**
 * MTH(D[start:end]) from the complete subtrees of the range. Matches RFC 9162's recursive definition
 * because the split at k (largest power of two < n) of an aligned range is itself aligned.
 */
export function rangeHash (start: number, end: number, node: NodeSource): Buffer {
  if (end <= start) return EMPTY_ROOT
  const n = end - start
  if (n === 1) return node({ level: 0, index: start })
  const k = splitPoint(n)
  // A complete aligned subtree is fetched whole.
  if (k * 2 === n && start % n === 0) return node({ level: Math.log2(n), index: start / n })
  return nodeHash(rangeHash(start, start + k, node), rangeHash(start + k, end, node))
}

/** The root of a list of leaf hashes (a tree built in memory; tests and small sizes). */
export function rootOfLeaves (leaves: readonly Buffer[]): Buffer {
  return rangeHash(0, leaves.length, leafNodes(leaves))
}

/** A NodeSource over leaf hashes held in memory: builds every node it is asked for. */
export function leafNodes (leaves: readonly Buffer[], offset = 0): NodeSource {
  const build = (start: number, end: number): Buffer => {
    if (end - start === 1) return leaves[start - offset] as Buffer
    const mid = start + (end - start) / 2
    return nodeHash(build(start, mid), build(mid, end))
  }
  return (node) => {
    const [start, end] = rangeOfNode(node)
    if (start < offset || end - offset > leaves.length) throw new RangeError(`node ${node.level}/${node.index} is outside the leaves held`)
    return build(start, end)
  }
}
