/**
 * The Merkle tree as the store keeps it (SPEC §4; RFC 9162 §2.1): the complete subtrees of
 * 2^8 = 256 leaves and more, in space `tree` under level (1 byte) ‖ index (u64 BE). Anything smaller is
 * hashed again from the log's entries when a proof needs it — at most 256 entries, a block or two —
 * so the tree costs ~1/128 of a node per entry on disk and a proof at 5 M entries needs one read of
 * ≤ 23 stored nodes and one short range of the log. The leaves are the entries as stored:
 * SHA-256(0x00 ‖ LogEntry bytes).
 */
import { leafHash, nodeHash, rangeOfNode, type NodeId, type NodeSource } from '../log/merkle/index.ts'
import { blockKeyAtOrBefore } from './recovery.ts'
import { entryPosition, frameEntryBytes, nextFrame } from './log-block.ts'
import { HASH_BYTES, positionKey, TREE_SPACE, type WriteOp } from './layout.ts'
import type { LogIo } from './store-types.ts'
import { errors } from './errors.ts'

/** Levels below this are recomputed from the log; at and above, stored. */
export const STORED_LEVEL = 8
export const TILE = 2 ** STORED_LEVEL

export function nodeKey (level: number, index: number): Buffer {
  const key = Buffer.allocUnsafe(9)
  key[0] = level
  key.writeBigUInt64BE(BigInt(index), 1)
  return key
}

/** The put of a node the edge just completed, when it is one the store keeps. */
export function nodeOp (level: number, index: number, hash: Buffer): WriteOp | undefined {
  return level < STORED_LEVEL ? undefined : { space: TREE_SPACE, key: nodeKey(level, index), value: hash }
}

/** The leaf hashes of positions from…to (1-based, inclusive), read from the log. */
export async function leafHashes (io: LogIo, from: number, to: number): Promise<Buffer[]> {
  const out: Buffer[] = []
  if (to < from) return out
  const startKey = await blockKeyAtOrBefore(io, from)
  if (startKey === undefined) throw errors.KEN_ERR_STORE_CORRUPT(`the log holds no entry ${from}`)
  for await (const chunk of io.iterate('log', { gte: startKey, lte: positionKey(to) })) {
    for (const [, block] of chunk) {
      let offset = 0
      while (offset < block.length) {
        const ref = nextFrame(block, offset)
        if (ref === undefined) throw errors.KEN_ERR_STORE_CORRUPT('malformed log block')
        offset = ref.end
        const position = entryPosition(block, ref.start + HASH_BYTES, ref.end)
        if (position < from) continue
        if (position > to) return out
        if (position !== from + out.length) throw errors.KEN_ERR_STORE_CORRUPT(`log entry ${from + out.length} is missing`)
        out.push(leafHash(frameEntryBytes(block, ref)))
      }
    }
  }
  if (out.length !== to - from + 1) throw errors.KEN_ERR_STORE_CORRUPT(`the log ends before entry ${to}`)
  return out
}

/**
 * Read every node a proof needs into a NodeSource: stored nodes in one getMany, smaller ones hashed
 * from the leaves of their 256-leaf tile (one log range per tile touched).
 */
export async function readNodes (io: LogIo, nodes: readonly NodeId[]): Promise<NodeSource> {
  const stored = nodes.filter((n) => n.level >= STORED_LEVEL)
  const values = await io.getMany(TREE_SPACE, stored.map((n) => nodeKey(n.level, n.index)))
  const found = new Map<string, Buffer>()
  stored.forEach((n, i) => {
    const v = values[i]
    if (v === undefined) throw errors.KEN_ERR_STORE_CORRUPT(`tree node ${n.level}/${n.index} is missing`)
    found.set(`${n.level}/${n.index}`, v)
  })
  const tiles = new Map<number, Buffer[]>()
  for (const n of nodes.filter((n) => n.level < STORED_LEVEL)) {
    const [start, end] = rangeOfNode(n)
    const tile = Math.floor(start / TILE)
    const have = tiles.get(tile)
    const needEnd = Math.max(end, tile * TILE + (have?.length ?? 0))
    if (have === undefined || have.length < needEnd - tile * TILE) tiles.set(tile, await leafHashes(io, tile * TILE + 1, needEnd))
  }
  return (node) => {
    const key = `${node.level}/${node.index}`
    const hit = found.get(key)
    if (hit !== undefined) return hit
    const [start, end] = rangeOfNode(node)
    const leaves = tiles.get(Math.floor(start / TILE))
    if (leaves === undefined || node.level >= STORED_LEVEL) throw new RangeError(`node ${key} was not read`)
    return subtree(leaves, start % TILE, end - start)
  }
}

function subtree (leaves: readonly Buffer[], start: number, size: number): Buffer {
  if (size === 1) {
    const leaf = leaves[start]
    if (leaf === undefined) throw new RangeError(`leaf ${start} of its tile was not read`)
    return leaf
  }
  const half = size / 2
  return nodeHash(subtree(leaves, start, half), subtree(leaves, start + half, half))
}
