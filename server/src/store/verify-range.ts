/**
 * One position range of the log checked in the calling thread — a verify worker, or verify's own
 * thread while the workers start (verify-parallel.ts): the hash chain over the blocks whose keys lie
 * in [from, to), and, when `sizes` is given, the Merkle tree's leaves and tiles of those entries
 * (tile-slice.ts), hashed in the chain's own walk of each block.
 */
import { ChainVerifier, type ChainSlice, type OnLeaves } from './chain-verifier.ts'
import { GENESIS_HASH } from './log-block.ts'
import { TileSlice } from '../log/merkle/index.ts'
import type { Sha256Batch } from '../log/merkle/sha256-batch.ts'

export interface RangeTask {
  readonly from: Uint8Array
  readonly to: Uint8Array | null
  /** The range starting at position 1: its first entry must chain to the genesis hash. */
  readonly first: boolean
}

/** The log space as verify reads it (a classic-level sublevel). */
export interface LogBlocks {
  iterator: (options: { gte: Buffer, lt?: Buffer, fillCache: boolean, highWaterMarkBytes: number }) => {
    nextv: (size: number) => Promise<Array<[Buffer, Buffer]>>
    close: () => Promise<void>
  }
}

/**
 * Check one range; `sizes`: the checkpoint sizes whose partial tree nodes to keep (tile-slice.ts);
 * `hasher`: the digests, a block or a tile at a time (sha256-batch.ts).
 */
export async function verifyRange (log: LogBlocks, task: RangeTask, sizes: readonly number[] | undefined, hasher: Sha256Batch): Promise<ChainSlice> {
  // fillCache off: a one-pass scan must not evict what the daemon keeps hot. Read ahead 1 MiB at a
  // time, not 16: the blocks are hashed while still in the CPU's cache (16 MiB: ~9 % more CPU).
  const options: { gte: Buffer, lt?: Buffer, fillCache: boolean, highWaterMarkBytes: number } = { gte: Buffer.from(task.from), fillCache: false, highWaterMarkBytes: 1 << 20 }
  if (task.to !== null) options.lt = Buffer.from(task.to)
  const iterator = log.iterator(options)
  let tree: TileSlice | undefined
  const onLeaves: OnLeaves | undefined = sizes === undefined
    ? undefined
    : (leaves, count, position) => {
        tree ??= new TileSlice(position - 1, sizes, hasher)
        tree.pushLeaves(leaves, count)
      }
  const verifier = task.first ? new ChainVerifier(1, GENESIS_HASH, hasher) : new ChainVerifier(0, undefined, hasher)
  // Read ahead: the next chunk is fetched in LevelDB's thread while this one is hashed.
  let next = iterator.nextv(1024)
  try {
    outer: while (true) {
      const chunk = await next
      if (chunk.length === 0) break
      next = iterator.nextv(1024)
      for (const [key, block] of chunk) {
        if (!verifier.block(key, block, onLeaves)) break outer
      }
    }
  } finally {
    await next.catch(() => undefined)
    await iterator.close()
  }
  const t = tree as TileSlice | undefined
  return { ...verifier.slice(), ...(t === undefined ? {} : { tree: t.result() }) }
}
