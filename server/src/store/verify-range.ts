/**
 * One position range of the log checked in the calling thread — a verify worker, or verify's own
 * thread while the workers start (verify-parallel.ts): the hash chain over the blocks whose keys lie
 * in [from, to), and, when `sizes` is given, the Merkle tree's leaves and tiles of those entries
 * (tile-slice.ts), hashed in the chain's own walk of each block.
 *
 * The range's keys are listed first (one read in LevelDB's thread pool), then each block is read on
 * this thread (getSync), both from one snapshot: the same blocks in the same order as one iterator
 * over the range, without handing every read to a pool thread and back. On 2 cores, with verify's
 * threads hashing on both, such a hand-off waits for a core while this thread sleeps (issue 18).
 */
import { ChainVerifier, type ChainSlice, type OnEntry } from './chain-verifier.ts'
import { entryPosition, GENESIS_HASH } from './log-block.ts'
import { HASH_BYTES } from './layout.ts'
import { errors } from './errors.ts'
import { sha256Binary, TileSlice, type BinaryHash } from '../log/merkle/index.ts'

export interface RangeTask {
  readonly from: Uint8Array
  readonly to: Uint8Array | null
  /** The range starting at position 1: its first entry must chain to the genesis hash. */
  readonly first: boolean
}

/** The log space as verify reads it (a classic-level sublevel). */
export interface LogBlocks {
  open: () => Promise<void>
  snapshot: () => ReadSnapshot
  keys: (options: { gte: Buffer, lt?: Buffer, fillCache: boolean, snapshot: ReadSnapshot }) => { all: () => Promise<Buffer[]> }
  getSync: (key: Buffer, options: { fillCache: boolean, snapshot: ReadSnapshot }) => Buffer | undefined
}

/** An abstract-level snapshot, as far as verify uses it. */
export interface ReadSnapshot {
  close: () => Promise<void>
}

/** Check one range; `sizes`: the checkpoint sizes whose partial tree nodes to keep (tile-slice.ts). */
export async function verifyRange (log: LogBlocks, task: RangeTask, sizes: readonly number[] | undefined): Promise<ChainSlice> {
  // A sublevel opens with its database, but only once asked to; a snapshot is refused before.
  await log.open()
  const snapshot = log.snapshot()
  try {
    // fillCache off: a one-pass scan must not evict what the daemon keeps hot.
    const read = { fillCache: false, snapshot }
    const keys = await log.keys(task.to === null ? { gte: Buffer.from(task.from), ...read } : { gte: Buffer.from(task.from), lt: Buffer.from(task.to), ...read }).all()
    let tree: TileSlice | undefined
    const onEntry: OnEntry | undefined = sizes === undefined
      ? undefined
      : (block, start, end) => {
          tree ??= new TileSlice(entryPosition(block, start + HASH_BYTES, end) - 1, sizes)
          tree.push(leafOfFrame(block, start, end))
        }
    const verifier = task.first ? new ChainVerifier(1, GENESIS_HASH) : new ChainVerifier(0, undefined)
    for (const key of keys) {
      const block = log.getSync(key, read)
      // Listed from the same snapshot: only a LevelDB that contradicts itself gets here.
      if (block === undefined) throw errors.KEN_ERR_STORE_CORRUPT(`log block ${key.toString('hex')} is listed but cannot be read`)
      if (!verifier.block(key, block, onEntry)) break
    }
    const t = tree as TileSlice | undefined
    return { ...verifier.slice(), ...(t === undefined ? {} : { tree: t.result() }) }
  } finally {
    await snapshot.close()
  }
}

/**
 * MTH({entry}) = SHA-256(0x00 ‖ entry) (RFC 9162 §2.1.1) hashed in place: the byte before the entry is
 * the last of its frame's prev_hash, already checked by the chain, so it stands in for the 0x00
 * prefix for the one call and is put back — no copy of the entry.
 */
function leafOfFrame (block: Buffer, start: number, end: number): BinaryHash {
  const at = start + HASH_BYTES - 1
  const kept = block[at] as number
  block[at] = 0x00
  const leaf = sha256Binary(block.subarray(at, end))
  block[at] = kept
  return leaf
}
