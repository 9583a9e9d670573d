/**
 * Worker thread of a parallel verify: checks the log blocks whose keys lie in [from, to) and posts
 * back its ChainSlice. Each entry carries the previous entry's hash, so slices verify independently
 * and verify-parallel.ts checks the links between them.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ClassicLevel } from 'classic-level'
import { ChainVerifier } from './chain-verifier.ts'
import { entryPosition, frameEntryBytes, GENESIS_HASH, nextFrame } from './log-block.ts'
import { HASH_BYTES } from './layout.ts'
import { leafHash, TileSlice } from '../log/merkle/index.ts'

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
  const verifier = task.first ? new ChainVerifier(1, GENESIS_HASH) : new ChainVerifier(0, undefined)
  // Read ahead: the next chunk is fetched in LevelDB's thread while this one is hashed.
  let next = iterator.nextv(1024)
  try {
    outer: while (true) {
      const chunk = await next
      if (chunk.length === 0) break
      next = iterator.nextv(1024)
      for (const [key, block] of chunk) {
        if (!verifier.block(key, block)) break outer
        if (task.sizes !== undefined) tree = leaves(block, tree, task.sizes)
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

/** The leaves of a block that verified, into the slice's tiles (begun at the block's first entry). */
function leaves (block: Buffer, tree: TileSlice | undefined, sizes: readonly number[]): TileSlice {
  let slice = tree
  for (let offset = 0, ref = nextFrame(block, 0); ref !== undefined; offset = ref.end, ref = nextFrame(block, offset)) {
    slice ??= new TileSlice(entryPosition(block, ref.start + HASH_BYTES, ref.end) - 1, sizes)
    slice.push(leafHash(frameEntryBytes(block, ref)))
  }
  return slice as TileSlice
}
