/**
 * Replaying the log into the views: recovery of a tail the views have not seen, and rebuild from
 * position 1 (SPEC §4 "rebuildable from the log"). Every replayed entry is chain-checked first — views
 * are never built from a log that does not verify — then applied with the same applyEntry as append.
 * The views' head is written in the same batch as each chunk, so an interrupted replay resumes.
 */
import { decodeStored } from './codec.ts'
import { applyEntry } from './apply-entry.ts'
import { entryPosition, frameEntryBytes, frameHash, nextFrame } from './log-block.ts'
import { HASH_BYTES, META_HEAD, positionKey, type Space, type WriteOp } from './layout.ts'
import { ViewTx, withReads, type BaseReader } from './view-tx.ts'
import type { Head } from './store-types.ts'
import { errors } from './errors.ts'

/** The I/O a replay needs (the store's protected methods). */
export interface ReplayIo {
  readonly read: BaseReader
  readonly write: (ops: readonly WriteOp[]) => Promise<void>
  readonly blocks: (fromKey: Buffer) => AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>>
  readonly blockKeyAtOrBefore: (position: number) => Promise<Buffer | undefined>
}

/** Writes to the views per batch while replaying (bounds memory; each batch moves the head). */
const CHUNK_WRITES = 20000

/** Apply entries `from.position + 1` … end of log to the views; returns the new head and the count. */
export async function replayLog (io: ReplayIo, from: Head): Promise<{ head: Head, replayed: number }> {
  const start = from.position + 1
  const startKey = await io.blockKeyAtOrBefore(start)
  let head = from
  let replayed = 0
  if (startKey === undefined) return { head, replayed }
  let tx = new ViewTx(io.read)
  const flush = async (): Promise<void> => {
    const ops = tx.ops()
    ops.push(headOp(head))
    await io.write(ops)
    tx = new ViewTx(io.read)
  }
  for await (const chunk of io.blocks(startKey)) {
    for (const [, block] of chunk) {
      let offset = 0
      while (offset < block.length) {
        const ref = nextFrame(block, offset)
        if (ref === undefined) throw errors.KEN_ERR_STORE_CHAIN_BROKEN(`malformed block after position ${head.position}`)
        offset = ref.end
        const position = entryPosition(block, ref.start + HASH_BYTES, ref.end)
        if (position < start) continue
        if (position !== head.position + 1) throw errors.KEN_ERR_STORE_CHAIN_BROKEN(`position ${position} follows ${head.position}`)
        if (block.compare(head.hash, 0, HASH_BYTES, ref.start, ref.start + HASH_BYTES) !== 0) throw errors.KEN_ERR_STORE_CHAIN_BROKEN(`entry ${position} does not chain`)
        const hash = frameHash(block, ref)
        const entry = decodeStored('LogEntry', frameEntryBytes(block, ref))
        const applied = withReads(tx, () => applyEntry(tx, entry, hash))
        if (applied instanceof Promise) await applied
        head = { position, hash }
        replayed++
        if (tx.size >= CHUNK_WRITES) await flush()
      }
    }
  }
  await flush()
  return { head, replayed }
}

/** meta/head: position (8 bytes BE) ‖ hash (32). */
export function headOp (head: Head): WriteOp {
  return { space: 'meta' satisfies Space, key: META_HEAD, value: Buffer.concat([positionKey(head.position), head.hash]) }
}
