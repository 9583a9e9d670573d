/**
 * Worker thread of a parallel verify: checks the log blocks whose keys lie in [from, to) and posts
 * back its ChainSlice. Each entry carries the previous entry's hash, so slices verify independently
 * and verify-parallel.ts checks the links between them.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ClassicLevel } from 'classic-level'
import { ChainVerifier, type OnEntry } from './chain-verifier.ts'
import { entryPosition, GENESIS_HASH, type FrameRef } from './log-block.ts'
import { HASH_BYTES } from './layout.ts'
import { sha256Binary, TileSlice, type BinaryHash } from '../log/merkle/index.ts'

interface Task {
  readonly location: string
  readonly from: Uint8Array
  readonly to: Uint8Array | null
  readonly first: boolean
  /** Checkpoint sizes: the Merkle tree's pieces for them are hashed here too (tile-slice.ts). */
  readonly sizes?: readonly number[]
}

const task = workerData as Task
const db = new ClassicLevel<Buffer, Buffer>(task.location, { keyEncoding: 'buffer', valueEncoding: 'buffer', multithreading: true, createIfMissing: false })
await db.open()
try {
  const log = db.sublevel<Buffer, Buffer>('log', { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  // fillCache off: a one-pass scan must not evict what the daemon keeps hot.
  const options: { gte: Buffer, lt?: Buffer, fillCache: boolean, highWaterMarkBytes: number } = { gte: Buffer.from(task.from), fillCache: false, highWaterMarkBytes: 16 << 20 }
  if (task.to !== null) options.lt = Buffer.from(task.to)
  const iterator = log.iterator(options)
  let tree: TileSlice | undefined
  const sizes = task.sizes
  // The leaves are hashed in the chain's own pass over each block: one walk of the frames, not two.
  const onEntry: OnEntry | undefined = sizes === undefined
    ? undefined
    : (block, ref) => {
        tree ??= new TileSlice(entryPosition(block, ref.start + HASH_BYTES, ref.end) - 1, sizes)
        tree.push(leafOfFrame(block, ref))
      }
  const verifier = task.first ? new ChainVerifier(1, GENESIS_HASH) : new ChainVerifier(0, undefined)
  // Read ahead: the next chunk is fetched in LevelDB's thread while this one is hashed.
  let next = iterator.nextv(1024)
  try {
    outer: while (true) {
      const chunk = await next
      if (chunk.length === 0) break
      next = iterator.nextv(1024)
      for (const [key, block] of chunk) {
        if (!verifier.block(key, block, onEntry)) break outer
      }
    }
  } finally {
    await next.catch(() => undefined)
    await iterator.close()
  }
  parentPort?.postMessage({ ...verifier.slice(), ...(tree === undefined ? {} : { tree: tree.result() }) })
} finally {
  await db.close()
}

/**
 * MTH({entry}) = SHA-256(0x00 ‖ entry) (RFC 9162 §2.1.1) hashed in place: the byte before the entry is
 * the last of its frame's prev_hash, already checked by the chain, so it stands in for the 0x00
 * prefix for the one call and is put back — no copy of the entry.
 */
function leafOfFrame (block: Buffer, ref: FrameRef): BinaryHash {
  const at = ref.start + HASH_BYTES - 1
  const kept = block[at] as number
  block[at] = 0x00
  const leaf = sha256Binary(block.subarray(at, ref.end))
  block[at] = kept
  return leaf
}
