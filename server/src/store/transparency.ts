/**
 * Reading the transparency log (SPEC §4 Merkle tree, §1.1 "their results and proofs"): the kept
 * checkpoints, and inclusion and consistency proofs against them. Everything here is hashes, sizes,
 * signed notes and entry bytes as stored (which hold no personal data in clear: the store contract),
 * so it may be served read-only to the gateway, the CLI and auditors.
 */
import { consistencyRanges, hashRanges, inclusionRanges, leafHash, proofNodes } from '../log/merkle/index.ts'
import { parseCheckpointBody } from '../log/checkpoint/index.ts'
import { errors as logErrors } from '../log/errors.ts'
import { readNodes } from './tree-nodes.ts'
import { blockKeyAtOrBefore } from './recovery.ts'
import { entryPosition, frameEntryBytes, nextFrame } from './log-block.ts'
import { HASH_BYTES, positionKey, readPosition } from './layout.ts'
import type { LogIo } from './store-types.ts'
import { errors } from './errors.ts'

/** A kept checkpoint: its size and the signed-note text exactly as issued. */
export interface KeptCheckpoint {
  readonly size: number
  readonly note: string
}

/** The inclusion of the entry at `position` (1-based; leaf index position − 1) in the tree of `checkpoint`. */
export interface InclusionProof {
  readonly position: number
  readonly leafIndex: number
  readonly entry: Buffer
  readonly leafHash: Buffer
  readonly treeSize: number
  readonly proof: Buffer[]
  readonly checkpoint: string
}

/** That the tree of `to` extends the tree of `from` (both kept checkpoints). */
export interface ConsistencyProof {
  readonly from: number
  readonly to: number
  readonly proof: Buffer[]
  readonly fromCheckpoint: string
  readonly toCheckpoint: string
}

export class TransparencyReader {
  readonly #io: LogIo
  readonly #caughtUp: () => Promise<void>
  readonly #committed: () => number

  /**
   * @param caughtUp resolves once the stored subtrees of every answered group are written
   * @param committed the committed log size
   */
  constructor (io: LogIo, caughtUp: () => Promise<void>, committed: () => number) {
    this.#io = io
    this.#caughtUp = caughtUp
    this.#committed = committed
  }

  /** The newest checkpoint, or undefined before the first. */
  async latest (): Promise<KeptCheckpoint | undefined> {
    // Checkpoints are written with the views of the group they name: read your own writes.
    await this.#caughtUp()
    for await (const chunk of this.#io.iterate('checkpoints', { reverse: true, limit: 1 })) {
      for (const [key, value] of chunk) return { size: readPosition(key), note: value.toString('utf8') }
    }
    return undefined
  }

  /** The newest kept checkpoint that names no more than `position` entries (a backup's head), if any. */
  async atOrBefore (position: number): Promise<KeptCheckpoint | undefined> {
    await this.#caughtUp()
    for await (const chunk of this.#io.iterate('checkpoints', { lte: positionKey(position), reverse: true, limit: 1 })) {
      for (const [key, value] of chunk) return { size: readPosition(key), note: value.toString('utf8') }
    }
    return undefined
  }

  /** The checkpoint at `size` (or the newest). @throws KEN_ERR_LOG_NO_CHECKPOINT */
  async checkpoint (size?: number): Promise<KeptCheckpoint> {
    if (size === undefined) {
      const latest = await this.latest()
      if (latest === undefined) throw logErrors.KEN_ERR_LOG_NO_CHECKPOINT('none issued yet')
      return latest
    }
    checkSize(size, 'size')
    await this.#caughtUp()
    const [value] = await this.#io.getMany('checkpoints', [positionKey(size)])
    if (value === undefined) throw logErrors.KEN_ERR_LOG_NO_CHECKPOINT(`size ${size}`)
    return { size, note: value.toString('utf8') }
  }

  /** Every kept checkpoint, oldest first. */
  async * all (): AsyncGenerator<KeptCheckpoint> {
    await this.#caughtUp()
    for await (const chunk of this.#io.iterate('checkpoints', {})) {
      for (const [key, value] of chunk) yield { size: readPosition(key), note: value.toString('utf8') }
    }
  }

  /** The inclusion proof of the entry at `position` against the checkpoint at `size` (default newest). */
  async inclusion (position: number, size?: number): Promise<InclusionProof> {
    checkSize(position, 'position')
    const checkpoint = await this.checkpoint(size)
    if (position > checkpoint.size) throw logErrors.KEN_ERR_LOG_RANGE(`position ${position} is beyond checkpoint ${checkpoint.size}`, { field: 'position' })
    this.#checkTreeSize(checkpoint.size)
    await this.#caughtUp()
    const ranges = inclusionRanges(position - 1, checkpoint.size)
    const nodes = await readNodes(this.#io, proofNodes(ranges))
    const entry = await this.entry(position)
    return { position, leafIndex: position - 1, entry, leafHash: leafHash(entry), treeSize: checkpoint.size, proof: hashRanges(ranges, nodes), checkpoint: checkpoint.note }
  }

  /** The consistency proof between the checkpoints at `from` and `to` (default newest). */
  async consistency (from: number, to?: number): Promise<ConsistencyProof> {
    const first = await this.checkpoint(from)
    const second = await this.checkpoint(to)
    if (second.size < first.size) throw logErrors.KEN_ERR_LOG_RANGE(`checkpoint ${second.size} precedes ${first.size}`, { field: 'to' })
    this.#checkTreeSize(second.size)
    await this.#caughtUp()
    const ranges = first.size === second.size ? [] : consistencyRanges(first.size, second.size)
    const nodes = await readNodes(this.#io, proofNodes(ranges))
    return { from: first.size, to: second.size, proof: hashRanges(ranges, nodes), fromCheckpoint: first.note, toCheckpoint: second.note }
  }

  /** The bytes of the entry at `position` as stored (the leaf's input). */
  async entry (position: number): Promise<Buffer> {
    checkSize(position, 'position')
    const key = await blockKeyAtOrBefore(this.#io, position)
    if (key !== undefined) {
      for await (const chunk of this.#io.iterate('log', { gte: key, lte: key })) {
        for (const [, block] of chunk) {
          let offset = 0
          while (offset < block.length) {
            const ref = nextFrame(block, offset)
            if (ref === undefined) break
            if (entryPosition(block, ref.start + HASH_BYTES, ref.end) === position) return Buffer.from(frameEntryBytes(block, ref))
            offset = ref.end
          }
        }
      }
    }
    throw logErrors.KEN_ERR_LOG_RANGE(`no entry ${position}`, { field: 'position' })
  }

  /** The origin of the kept checkpoints (the log key's name), when one is kept. */
  async origin (): Promise<string | undefined> {
    const latest = await this.latest()
    if (latest === undefined) return undefined
    return parseCheckpointBody(latest.note.slice(0, latest.note.indexOf('\n\n') + 1))?.origin
  }

  #checkTreeSize (size: number): void {
    // Never a proof beyond the committed log (a kept checkpoint cannot be, unless the files were cut).
    if (size > this.#committed()) throw errors.KEN_ERR_STORE_CORRUPT(`checkpoint ${size} is beyond the log (${this.#committed()})`)
  }
}

function checkSize (n: number, field: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw logErrors.KEN_ERR_LOG_RANGE(`${field} must be a positive integer`, { field })
}
