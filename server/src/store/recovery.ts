/**
 * Opening the store (SPEC §4, §8 "accepting again in under 5 s after kill -9"): the views' recorded
 * head is compared with the log's last entry — two reads, whatever the log's size. Equal: nothing to
 * do. Behind: the tail is replayed. Absent (or a rebuild was interrupted): the views are rebuilt.
 * Ahead: the log lost entries, and the store refuses to open.
 */
import { entryPosition, frameHash, GENESIS_HASH, nextFrame } from './log-block.ts'
import { HASH_BYTES, META_HEAD, positionKey, readPosition, RETIRED_SPACES, VIEW_SPACES } from './layout.ts'
import { headOp, replayLog, type ReplayIo } from './replay.ts'
import type { Head, LogIo, StoreLogger } from './store-types.ts'
import type { WriteOp } from './layout.ts'
import { errors } from './errors.ts'

/**
 * The shape of the views. 2: a key per record, the `due` view and the person id (SPEC §2.5, issue 17).
 * 3: acts by person and case (`actidx`). 4: the current records keyed by a resident number that only
 * grows, found through `subjects` (layout.ts CURRENT_SPACE: LevelDB moves them down without rewriting).
 * 5: the search index and the 個人番号 index name the resident by that number, not by subject (layout.ts
 * searchIndexKey: fewer random bytes for LevelDB's compaction to rewrite, and a hit skips `subjects`).
 * Views of another version are rebuilt from the log on open — the store migrates itself, and
 * Store.open records the migration in the log.
 */
export const VIEWS_VERSION = 5
const META_VIEWS_VERSION = Buffer.from('views-version')

function versionOp (): WriteOp {
  const value = Buffer.alloc(4)
  value.writeUInt32BE(VIEWS_VERSION)
  return { space: 'meta', key: META_VIEWS_VERSION, value }
}

async function readViewsVersion (io: LogIo): Promise<number> {
  const [bytes] = await io.getMany('meta', [META_VIEWS_VERSION])
  return bytes === undefined || bytes.length !== 4 ? 1 : bytes.readUInt32BE(0)
}

/** Bring the views to the log's head; returns the head, and how many entries a migration replayed. */
export async function recoverViews (io: LogIo, logger: StoreLogger): Promise<Head & { migrated?: number }> {
  const applied = await readAppliedHead(io)
  const log = await readLogHead(io)
  if (applied !== undefined && applied.position > log.position) throw errors.KEN_ERR_STORE_VIEWS_AHEAD(`views at ${applied.position}, log ends at ${log.position}`)
  const version = await readViewsVersion(io)
  if (log.position === 0) {
    if (version !== VIEWS_VERSION) await io.write([versionOp()])
    return log
  }
  if (applied === undefined || applied.position === 0) {
    logger.warn({ event: 'store.recovery.rebuild', logHead: log.position }, 'views absent: rebuilding from the log')
    return (await rebuildViews(io, logger)).head
  }
  if (version !== VIEWS_VERSION) {
    logger.warn({ event: 'store.migration.views', from: version, to: VIEWS_VERSION, logHead: log.position }, 'views of an earlier version: rebuilding them from the log')
    const { head, replayed } = await rebuildViews(io, logger)
    return { ...head, migrated: replayed }
  }
  if (applied.position === log.position) {
    if (!applied.hash.equals(log.hash)) throw errors.KEN_ERR_STORE_CHAIN_BROKEN(`the views' head hash differs from entry ${log.position}`)
    return log
  }
  const started = performance.now()
  const { head, replayed } = await replayLog(replayIo(io), applied)
  logger.warn({ event: 'store.recovery.replayed', from: applied.position + 1, replayed, ms: Math.round(performance.now() - started) }, 'views behind the log: replayed the tail')
  return head
}

/** Drop every view and replay the whole log into them. */
export async function rebuildViews (io: LogIo, logger: StoreLogger): Promise<{ head: Head, replayed: number }> {
  // Mark the views empty first: if this is interrupted, the next open starts over.
  await io.write([headOp({ position: 0, hash: GENESIS_HASH })])
  const clearing = performance.now()
  for (const space of [...VIEW_SPACES, ...RETIRED_SPACES]) await io.clear(space)
  logger.info({ event: 'store.rebuild.cleared', ms: Math.round(performance.now() - clearing) }, 'views cleared: replaying the log')
  const result = await replayLog(replayIo(io), { position: 0, hash: GENESIS_HASH })
  await io.write([versionOp()])
  logger.info({ event: 'store.rebuild.done', replayed: result.replayed }, 'views rebuilt from the log')
  return result
}

/** meta/head: the last entry the views reflect, or undefined when never written. */
export async function readAppliedHead (io: LogIo): Promise<Head | undefined> {
  const [bytes] = await io.getMany('meta', [META_HEAD])
  if (bytes === undefined) return undefined
  if (bytes.length !== 8 + HASH_BYTES) throw errors.KEN_ERR_STORE_CORRUPT('meta/head')
  return { position: readPosition(bytes), hash: Buffer.from(bytes.subarray(8)) }
}

/** The last entry of the log: the last block only is read. */
export async function readLogHead (io: LogIo): Promise<Head> {
  for await (const chunk of io.iterate('log', { reverse: true, limit: 1 })) {
    for (const [, block] of chunk) {
      let last: Head | undefined
      let offset = 0
      while (offset < block.length) {
        const ref = nextFrame(block, offset)
        if (ref === undefined) throw errors.KEN_ERR_STORE_CHAIN_BROKEN('malformed last block')
        last = { position: entryPosition(block, ref.start + HASH_BYTES, ref.end), hash: frameHash(block, ref) }
        offset = ref.end
      }
      if (last === undefined || last.position < 1) throw errors.KEN_ERR_STORE_CHAIN_BROKEN('malformed last block')
      return last
    }
  }
  return { position: 0, hash: GENESIS_HASH }
}

/** The key of the block holding `position` (or the first block, when `position` precedes it). */
export async function blockKeyAtOrBefore (io: LogIo, position: number): Promise<Buffer | undefined> {
  // Keys only: the value is a whole commit group's block, which the iterator would copy and keep (level-read.ts).
  for await (const chunk of io.iterate('log', { lte: positionKey(position), reverse: true, limit: 1, values: false })) {
    for (const [key] of chunk) return key
  }
  for await (const chunk of io.iterate('log', { limit: 1, values: false })) {
    for (const [key] of chunk) return key
  }
  return undefined
}

function replayIo (io: LogIo): ReplayIo {
  return {
    read: io.getMany,
    write: io.write,
    blocks: (fromKey) => io.iterate('log', { gte: fromKey }),
    blockKeyAtOrBefore: async (position) => await blockKeyAtOrBefore(io, position)
  }
}
