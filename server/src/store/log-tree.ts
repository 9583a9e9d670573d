/**
 * The store's Merkle tree and signed checkpoints (SPEC §4; docs/transparency-log.md). The right edge
 * (a compact range) follows the planned log: each group's frames become leaves once the group is
 * planned, the complete subtrees of ≥ 256 leaves it makes are written with the group's views, and a
 * checkpoint — the signed root at the group's size — is written after the group's log block is
 * durable, at most every `intervalMs`, and on close. A checkpoint therefore never names a size whose
 * entries are not durable. On open the edge is rebuilt from the stored subtrees and the log's last
 * few entries; subtrees the views never got (a crash) are hashed again from the log.
 */
import { CompactRange, leafHash, nodesOfRange } from '../log/merkle/index.ts'
import { signCheckpoint, type NoteSigner } from '../log/checkpoint/index.ts'
import { leafHashes, nodeKey, nodeOp, STORED_LEVEL, TILE } from './tree-nodes.ts'
import { FRAME_OVERHEAD } from './log-block.ts'
import { positionKey, readPosition, TREE_SPACE, type WriteOp } from './layout.ts'
import type { LogIo, StoreLogger } from './store-types.ts'

/** Leaves re-hashed per write while catching the stored subtrees up with the log. */
const CATCH_UP_CHUNK = 65536

export interface CheckpointOptions {
  /** Signs checkpoints; without it the tree is kept but no checkpoint is issued (read-only tools). */
  readonly signer?: NoteSigner
  /** Least time between two checkpoints issued after commit groups, ms. */
  readonly intervalMs: number
}

export class LogTree {
  readonly #edge: CompactRange
  readonly #signer: NoteSigner | undefined
  readonly #intervalMs: number
  #lastSize: number
  #lastAt = Number.NEGATIVE_INFINITY
  /** Told when a due checkpoint was held back by the interval, with the ms left (store.ts issues it then). */
  onDeferred: ((waitMs: number) => void) | undefined

  private constructor (edge: CompactRange, lastSize: number, options: CheckpointOptions) {
    this.#edge = edge
    this.#signer = options.signer
    this.#intervalMs = options.intervalMs
    this.#lastSize = lastSize
  }

  /** Rebuild the edge at the log's head (`size` entries), writing any stored subtree that is missing. */
  static async open (io: LogIo, size: number, options: CheckpointOptions, logger: StoreLogger): Promise<LogTree> {
    let base = await storedTiles(io) * TILE
    let edge = base <= size ? await edgeAt(io, base) : undefined
    if (edge === undefined) {
      // Stored subtrees beyond the log or with holes: they are a view, so drop and recompute them.
      logger.warn({ event: 'store.tree.rebuild', size }, 'tree nodes inconsistent with the log: recomputing')
      await io.clear(TREE_SPACE)
      base = 0
      edge = new CompactRange()
    }
    const started = performance.now()
    for (let from = base + 1; from <= size; from += CATCH_UP_CHUNK) {
      const ops: WriteOp[] = []
      for (const leaf of await leafHashes(io, from, Math.min(size, from + CATCH_UP_CHUNK - 1))) {
        for (const n of edge.append(leaf)) {
          const op = nodeOp(n.level, n.index, n.hash)
          if (op !== undefined) ops.push(op)
        }
      }
      if (ops.length > 0) await io.write(ops)
    }
    if (size - base >= TILE) logger.info({ event: 'store.tree.caught_up', from: base + 1, to: size, ms: Math.round(performance.now() - started) }, 'tree nodes recomputed from the log')
    const last = await lastCheckpointSize(io)
    return new LogTree(edge, last, options)
  }

  /** The size the edge covers (the planned tip). */
  get size (): number {
    return this.#edge.size
  }

  get signer (): NoteSigner | undefined {
    return this.#signer
  }

  /** The size of the last checkpoint kept (0: none). */
  get lastCheckpointSize (): number {
    return this.#lastSize
  }

  /** Add a planned group's frames as leaves; returns the stored subtrees they complete and the new root. */
  appendFrames (frames: readonly Buffer[]): { ops: WriteOp[], size: number, root: Buffer } {
    const ops: WriteOp[] = []
    for (const frame of frames) {
      // A block frame is length ‖ prev_hash ‖ entry: the leaf is the entry as stored (RFC 9162 §2.1.1).
      const made = this.#edge.append(leafHash(frame.subarray(FRAME_OVERHEAD)))
      for (let i = STORED_LEVEL; i < made.length; i++) {
        const n = made[i]
        if (n !== undefined) ops.push({ space: TREE_SPACE, key: nodeKey(n.level, n.index), value: n.hash })
      }
    }
    return { ops, size: this.#edge.size, root: this.#edge.root() }
  }

  /**
   * The checkpoint op for a group whose log block is durable, if one is due (`force`: on close).
   * Call in group order; a size at or below the last kept one issues nothing.
   */
  checkpointOp (size: number, root: Buffer, now: number, force = false): WriteOp | undefined {
    if (this.#signer === undefined || size <= this.#lastSize) return undefined
    if (!force && now - this.#lastAt < this.#intervalMs) {
      // Without this the last groups before a quiet spell would wait for the next group or shutdown.
      this.onDeferred?.(this.#intervalMs - (now - this.#lastAt))
      return undefined
    }
    this.#lastSize = size
    this.#lastAt = now
    const note = signCheckpoint({ origin: this.#signer.name, size, root }, this.#signer)
    return { space: 'checkpoints', key: positionKey(size), value: Buffer.from(note, 'utf8') }
  }

  /** When the last checkpoint was issued (performance.now() time base), if one was since open. */
  get lastIssuedAt (): number | undefined {
    return Number.isFinite(this.#lastAt) ? this.#lastAt : undefined
  }

  /** The root at the edge's size. */
  root (): Buffer {
    return this.#edge.root()
  }
}

/** How many 256-leaf tiles have their level-8 node stored (they are written in order). */
async function storedTiles (io: LogIo): Promise<number> {
  const lo = nodeKey(STORED_LEVEL, 0)
  const hi = nodeKey(STORED_LEVEL + 1, 0)
  for await (const chunk of io.iterate(TREE_SPACE, { gte: lo, lt: hi, reverse: true, limit: 1 })) {
    for (const [key] of chunk) return readPosition(key, 1) + 1
  }
  return 0
}

/** The edge at a multiple of 256 from stored nodes only, or undefined when one is missing. */
async function edgeAt (io: LogIo, size: number): Promise<CompactRange | undefined> {
  const nodes = nodesOfRange(0, size)
  const values = await io.getMany(TREE_SPACE, nodes.map((n) => nodeKey(n.level, n.index)))
  if (values.some((v) => v === undefined)) return undefined
  return new CompactRange(size, values as Buffer[])
}

/** The size of the newest kept checkpoint, 0 when none. */
export async function lastCheckpointSize (io: LogIo): Promise<number> {
  for await (const chunk of io.iterate('checkpoints', { reverse: true, limit: 1 })) {
    for (const [key] of chunk) return readPosition(key)
  }
  return 0
}
