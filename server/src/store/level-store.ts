/**
 * The LevelDB store (classic-level). The store's directory holds three databases (layout.ts
 * DATABASES), so that the log — keys that only grow, values written once — never shares a LevelDB
 * level with keys spread at random: LevelDB then moves the log's files down its levels without
 * rewriting them, and compacts only the views (SPEC §8 initial load; measured in bench/store-append.ts).
 * One database per kind of key order:
 *   log/    the hash-chained log blocks (positions: sequential), and nothing else: a second range
 *           of keys there would make every table overlap every other (layout.ts databaseOf)
 *   keys/   the wrapped resident data keys (key ids: random, small)
 *   views/  every derived view and their recorded head (`meta`), the tree's subtrees, the checkpoints
 * A commit group is written in this order, each batch fsynced (`sync: true`) before the next starts
 * (SPEC §3 "PUBACK only after fsync", §4 group commit; commit-group.ts makes two calls of `_write`):
 *   1. new wrapped keys — a log entry is never durable before the key that opens its ciphertext;
 *   2. the log block — the commit point: the group's results are final, and answered, from here on;
 *   3. erased keys — after the entry that records the erasure (SPEC §2.5: no erasure without its record);
 *   4. the views and their head (in the second call, alongside the next group's 1 and 2).
 * A crash between 2 and 4 leaves the views behind the log, which recovery replays (recovery.ts); the
 * replay deletes an erased key again, so step 3 is redone too. A crash before 2 leaves at most a
 * wrapped key no entry uses.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { ClassicLevel } from 'classic-level'
import { Store, type Head, type Range, type StoreOptions } from './store.ts'
import { DATABASES, databaseOf, SPACES, type Database, type Space, type WriteOp } from './layout.ts'
import { verifyInWorkers } from './verify-parallel.ts'
import type { ChainSlice } from './chain-verifier.ts'
import { errors } from './errors.ts'
import { storeTuning, type DatabaseTuning } from './level-tuning.ts'
import { ITERATOR_HIGH_WATER_BYTES, PAST_EVERY_KEY, readAhead } from './level-read.ts'
import { parseSstables } from './level-tables.ts'
import { batchContents } from './level-batch.ts'
import { prefixedKeys } from './level-keys.ts'

type Db = ClassicLevel<Buffer, Buffer>
/** The iterator read patches/classic-level-3.0.0-nextv-sync.patch adds to classic-level 3.0.0. */
interface SyncRead { nextvSync: (size: number) => Array<[Buffer, Buffer]> }
/** The batch write patches/classic-level-3.0.0-batch-contents.patch adds to classic-level 3.0.0. */
interface ContentsWrite { writeBatchContents: (contents: Uint8Array, options: { sync: boolean }) => Promise<void> }

export interface LevelStoreOptions extends StoreOptions {
  /** The store's directory (it holds one LevelDB database per entry of DATABASES). */
  readonly location: string
  /** LevelDB block cache of the views, bytes (default 64 MiB). */
  readonly cacheSize?: number
  /** LevelDB write buffer of the views, bytes (default 128 MiB, level-tuning.ts). */
  readonly writeBufferSize?: number
  /** Seek compactions in the views (level-tuning.ts). */
  readonly seekCompaction?: boolean
  /** Create the databases when missing (default true; the offline tools refuse a wrong path instead). */
  readonly createIfMissing?: boolean
}

const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
const CHUNK = 1024
const EMPTY = Buffer.alloc(0)
/** Erased keys compacted range by range; more than this and the whole keys space is compacted. */
const COMPACT_ONE_BY_ONE = 256

/** Keys deleted per step of a space's clear (_clear): ~4 MB of tombstones, a fraction of a memtable. */
export const CLEAR_CHUNK_KEYS = 100_000
export { ITERATOR_HIGH_WATER_BYTES } from './level-read.ts'

/**
 * True when classic-level was built with patches/classic-level-3.0.0-nextv-sync.patch (patches/classic-level.sh):
 * LevelStore's short range reads (_keysIn, a 4情報 search's candidates) then stay on the calling thread.
 */
export function rangeReadsOnCallingThread (): boolean {
  const { Iterator } = createRequire(import.meta.url)('classic-level/iterator.js') as { Iterator: { prototype: Partial<SyncRead> } }
  return typeof Iterator.prototype.nextvSync === 'function'
}

/** True when `location` is itself one LevelDB database: the layout before log/keys/views. */
export function isSingleDatabaseLayout (location: string): boolean {
  return existsSync(path.join(location, 'CURRENT'))
}

/** The directory of one of the store's databases. */
export function databasePath (location: string, database: Database): string {
  return path.join(location, database)
}

function sublevelOf (db: Db, space: Space) {
  return db.sublevel<Buffer, Buffer>(space, ENCODING)
}
type Sub = ReturnType<typeof sublevelOf>

/**
 * A database's write-ahead log from which close writes its memtable out (_close). The views' 11.4 MB
 * after 150,000 updates took 170–212 ms of CPU to replay at the next open; a flush costs a store's close
 * 20–110 ms of fsyncs and hand-offs even when there is little to write, which tests that open and
 * close many small stores would pay every time.
 */
const FLUSH_AT_CLOSE_BYTES = 1 << 20

/** Bytes in a LevelDB database's write-ahead log files (NNNNNN.log; at most two while a memtable is written out). */
export function walBytes (directory: string): number {
  return readdirSync(directory).filter((name) => /^\d+\.log$/.test(name)).reduce((sum, name) => sum + statSync(path.join(directory, name)).size, 0)
}

/** A key range past every key of the store (level-read.ts PAST_EVERY_KEY): compacting it rewrites no table. */
const PAST_EVERY_RANGE = { from: PAST_EVERY_KEY, to: Buffer.concat([PAST_EVERY_KEY, Buffer.from([0xff])]) } as const

/**
 * The databases a lookup and a 4情報 search read point by point. With pread (no mmap,
 * patches/classic-level-3.0.0-no-mmap-reads.patch), LevelDB opens a table on its first read: the
 * footer, index and filter blocks, read from disk when the page cache no longer holds them — a
 * millisecond or more, paid by whichever lookup comes first after a start (issue 18: lookup p99 at
 * 5.1 M was 1.021 ms; the second pass over the same keys 0.2–0.3 ms). The table cache then keeps them
 * (level-tuning.ts maxOpenFiles: a prefecture's views and keys fit). The log is read in order
 * (verify, the outbox) and keeps its few open tables (LEAST_OPEN_FILES).
 */
const WARMED: readonly Database[] = ['keys', 'views']

/** abstract-level's sublevel prefix: `!` name `!`. */
const PREFIXES: ReadonlyMap<Space, Buffer> = new Map(SPACES.map((space) => [space, Buffer.from(`!${space}!`, 'latin1')]))

export class LevelStore extends Store {
  readonly #location: string
  readonly #createIfMissing: boolean
  readonly #readOnly: boolean
  readonly #tuning: Record<Database, DatabaseTuning>
  #warming: Promise<void> | undefined
  #stopWarming = false
  #dbs: ReadonlyMap<Database, Db> = new Map()
  #subs: ReadonlyMap<Space, Sub> = new Map()

  constructor (options: LevelStoreOptions) {
    super(options)
    this.#location = options.location
    this.#createIfMissing = options.createIfMissing ?? true
    this.#readOnly = options.readOnly ?? false
    this.#tuning = storeTuning({ ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }), ...(options.writeBufferSize === undefined ? {} : { writeBufferSize: options.writeBufferSize }), ...(options.seekCompaction === undefined ? {} : { seekCompaction: options.seekCompaction }) })
  }

  get location (): string {
    return this.#location
  }

  protected override async _open (): Promise<void> {
    if (isSingleDatabaseLayout(this.#location)) throw errors.KEN_ERR_STORE_LAYOUT('the directory holds a single LevelDB database (the layout before log/keys/views); this version does not open or convert it — start from an empty directory')
    if (this.#createIfMissing) mkdirSync(this.#location, { recursive: true, mode: 0o700 })
    // Made here, not in the constructor: abstract-level opens (and creates) a database it constructs.
    // multithreading: verify's worker threads open the log database alongside this handle.
    this.#dbs = new Map(DATABASES.map((name) => [name, new ClassicLevel<Buffer, Buffer>(databasePath(this.#location, name), { ...ENCODING, multithreading: true, createIfMissing: this.#createIfMissing, ...this.tableOptions(name) })]))
    this.#subs = new Map(SPACES.map((space) => [space, sublevelOf(this.#db(databaseOf(space)), space)]))
    try {
      for (const db of this.#dbs.values()) await db.open()
      await this.#moveCheckpoints()
      this.#stopWarming = false
      this.#warming = undefined
    } catch (err) {
      await this._close().catch(() => undefined)
      throw err
    }
  }

  /** LevelDB's options for one database (level-tuning.ts); a test may scale its tables down. */
  protected tableOptions (database: Database): DatabaseTuning {
    return this.#tuning[database]
  }

  /**
   * Opens every table of WARMED ahead of the reads that need them: the store daemon starts it once it
   * answers (daemon.ts), so it neither delays nor competes with recovery. Settles when all are open, or
   * when close stops it; never rejects (a table that cannot be read is left to the read that needs it).
   * Called again, it answers the same warm-up.
   */
  async warmTables (): Promise<void> {
    if (!this.isOpen) return
    this.#warming ??= this.#warm()
    await this.#warming
  }

  /**
   * Opens each table of WARMED into its table cache, one at a time in libuv's pool (an iterator seeked to
   * the table's smallest key opens it: the table holding that key in every level — db/version_set.cc),
   * so the warm-up never holds more than one pool thread from the commit path's writes and fsyncs.
   */
  async #warm (): Promise<void> {
    for (const name of WARMED) {
      const db = this.#db(name)
      for (const table of parseSstables(db.getProperty('leveldb.sstables'))) {
        if (this.#stopWarming || db.status !== 'open') return
        const iterator = db.iterator({ gte: table.smallest, limit: 1, values: false })
        try {
          await iterator.nextv(1)
        } catch (err) {
          // A table that cannot be read fails the read that needs it, with that read's error; the
          // warm-up only tells the logs (no key: SPEC §7, no personal data in logs).
          this.logger.warn({ event: 'store.warm.failed', database: name, table: table.number, code: (err as { code?: string }).code }, 'a table could not be opened ahead of reads')
        } finally {
          await iterator.close()
        }
      }
    }
  }

  protected override async _close (): Promise<void> {
    this.#stopWarming = true
    await this.#warming
    this.#warming = undefined
    await Promise.all([...this.#dbs.entries()].map(async ([name, db]) => {
      try {
        // LevelDB leaves its memtable in the write-ahead log at close; the next open replays it and
        // writes it out as a table before it answers (db_impl.cc RecoverLogFile) — serial work at the
        // start of `ken-store verify` right after a stop (SPEC §8; issue 18). Written out here, where
        // it is in memory, nothing is replayed. CompactRange writes the memtable out first
        // (DBImpl::CompactRange → TEST_CompactMemTable); its range is past every key, so no table is
        // rewritten. Below the threshold the replay costs less than the flush's fsyncs.
        if (!this.#readOnly && db.status === 'open' && walBytes(databasePath(this.#location, name)) >= this.flushAtCloseBytes()) await db.compactRange(PAST_EVERY_RANGE.from, PAST_EVERY_RANGE.to)
      } finally {
        await db.close()
      }
    }))
  }

  /** The write-ahead log a database must hold for its memtable to be written out at close; a test may lower it. */
  protected flushAtCloseBytes (): number {
    return FLUSH_AT_CLOSE_BYTES
  }

  /** On the database itself, each key under the space's prefix (level-keys.ts): the bytes a sublevel's getMany reads. */
  protected override async _getMany (space: Space, keys: readonly Buffer[]): Promise<Array<Buffer | undefined>> {
    if (keys.length === 0) return []
    // The sublevel's own database: a read-only open of an older store reads its checkpoints in log/ (#moveCheckpoints).
    return await this.#sub(space).db.getMany(prefixedKeys(this.#prefix(space), keys))
  }

  /**
   * A point read on this thread (classic-level getSync: LevelDB's Get on the block cache and the
   * table files), not in libuv's pool as getMany is. The Get itself takes microseconds; the two
   * thread hand-offs of an asynchronous read (to a pool thread, and its answer back to the event loop)
   * each wait for a core, and on a busy machine that wait was the milliseconds of the lookup and
   * 4情報 p99 (SPEC §8; bench/query-latency.ts, issue 18). The commit path keeps its batched getMany.
   */
  protected override async _get (space: Space, key: Buffer): Promise<Buffer | undefined> {
    return this.#sub(space).getSync(key)
  }

  protected override async _write (ops: readonly WriteOp[]): Promise<void> {
    const newKeys: WriteOp[] = []
    const log: WriteOp[] = []
    const erasedKeys: WriteOp[] = []
    const views: WriteOp[] = []
    for (const op of ops) {
      const database = databaseOf(op.space)
      if (database === 'keys') (op.value === null ? erasedKeys : newKeys).push(op)
      else if (database === 'log') log.push(op)
      else views.push(op)
    }
    await this.#batch('keys', newKeys)
    await this.#batch('log', log)
    await this.#batch('keys', erasedKeys)
    await this.#batch('views', views)
  }

  protected override async _compactErased (space: 'keys' | 'temp', keyIds: readonly Uint8Array[]): Promise<void> {
    const keys = this.#dbs.get(databaseOf(space))
    if (keys === undefined || keyIds.length === 0) return
    // LevelDB keeps a deleted value in older tables (and the write-ahead log) until a compaction
    // rewrites them; compacting the erased keys' ranges (each a few tables) makes the erasure physical.
    const prefix = this.#prefix(space)
    if (keyIds.length > COMPACT_ONE_BY_ONE) return await keys.compactRange(prefix, Buffer.concat([prefix, Buffer.alloc(17, 0xff)]))
    for (const keyId of keyIds) {
      const key = Buffer.concat([prefix, keyId])
      await keys.compactRange(key, key)
    }
  }

  protected override async * _iterate (space: Space, range: Range): AsyncGenerator<ReadonlyArray<readonly [Buffer, Buffer]>> {
    // highWaterMarkBytes is classic-level's; sublevels pass it through to the database iterator.
    const options: Range & { highWaterMarkBytes: number } = { ...range, highWaterMarkBytes: ITERATOR_HIGH_WATER_BYTES }
    if (range.values !== false) {
      yield * readAhead(this.#sub(space).iterator(options), range.reverse === true)
      return
    }
    // Keys only: classic-level gives undefined for each value; the range's rows hold an empty one.
    for await (const chunk of readAhead(this.#sub(space).iterator(options), range.reverse === true)) yield chunk.map(([key]) => [key, EMPTY] as const)
  }

  /**
   * A short range read (a 4情報 search's candidates): keys only, on the database itself with the
   * space's prefix put on the bounds here (no sublevel iterator, no read-ahead generator). Read on this
   * thread when classic-level is built with patches/classic-level-3.0.0-nextv-sync.patch (nextvSync:
   * LevelDB's seek and next, microseconds), else with one hand-off to libuv's pool and back — which
   * waits for a core, and behind whatever holds the pool (a commit's fsync), as point reads did before
   * getSync (issue 18: 4情報 p99; bench/query-latency.ts).
   */
  protected override async _keysIn (space: Space, gte: Buffer, lt: Buffer, limit: number): Promise<Buffer[]> {
    const prefix = this.#prefix(space)
    const iterator = this.#db(databaseOf(space)).iterator({ gte: Buffer.concat([prefix, gte]), lt: Buffer.concat([prefix, lt]), limit, values: false, highWaterMarkBytes: ITERATOR_HIGH_WATER_BYTES })
    const sync = (iterator as Partial<SyncRead>).nextvSync
    const out: Buffer[] = []
    try {
      // A read stops short of `limit` only at the high-water mark; the read that finds the end marks the
      // iterator ended, and a read after it answers at once.
      while (out.length < limit) {
        const rows = sync === undefined ? await iterator.nextv(limit - out.length) : sync.call(iterator, limit - out.length)
        if (rows.length === 0) break
        for (const [key] of rows) out.push(key.subarray(prefix.length))
      }
    } finally {
      await iterator.close()
    }
    return out
  }

  /**
   * Every key of a space deleted (a rebuild's first step, recovery.ts), a chunk at a time: the keys of
   * a chunk found by a short keys-only iterator, then deleted by classic-level's clear over exactly
   * that range. A LevelDB iterator keeps the memtable and the immutable memtable it was made on for
   * as long as it lives (db_impl.cc NewInternalIterator: mem_->Ref(), imm_->Ref()); one clear over a
   * whole space is one iterator that lives while its own deletions fill and flush memtable after
   * memtable, so the views' two 128 MiB memtables of its start stayed resident beside the two it was
   * filling: the store's RSS passed 1 GB while clearing the views of 5.1 M residents (SPEC §8 "server
   * < 1 GB"; docs/store-contract.md "Migration"). Each chunk starts after the last key deleted, so no
   * iterator walks over the tombstones of the chunks before it.
   */
  protected override async _clear (space: Space): Promise<void> {
    const db = this.#db(databaseOf(space))
    const prefix = this.#prefix(space)
    // PREFIXES: '!space!'; '!space"' follows every key of the space and nothing else.
    const end = Buffer.from(`!${space}"`, 'latin1')
    let after: Buffer | undefined
    for (;;) {
      const keys = await db.keys({ ...(after === undefined ? { gte: prefix } : { gt: after }), lt: end, limit: CLEAR_CHUNK_KEYS }).all()
      const last = keys[keys.length - 1]
      if (last === undefined) return
      await db.clear({ ...(after === undefined ? { gte: prefix } : { gt: after }), lte: last })
      after = last
    }
  }

  protected override async _verifyLog (threads: number, recorded: Head | undefined, sizes?: readonly number[]): Promise<ChainSlice & { roots?: Map<number, Buffer> }> {
    if (threads <= 1) return await super._verifyLog(threads, recorded)
    return await verifyInWorkers(databasePath(this.#location, 'log'), threads, recorded, async () => await super._verifyLog(1, recorded), undefined, sizes)
  }

  /**
   * One atomic, fsynced batch on one database, with the sublevels' own key prefix (`!space!`) put on
   * here: the same bytes as writing through each sublevel. Handed to LevelDB as one serialized
   * WriteBatch where the binding is patched for it (level-batch.ts), else as a chained batch — at a
   * fraction of the cost of an array batch on the commit path.
   */
  async #batch (database: Database, ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return
    const db = this.#db(database)
    // The same batch as its serialized contents, in one call, where the binding has it (level-batch.ts).
    const contents = (db as Partial<ContentsWrite>).writeBatchContents
    if (contents !== undefined) return await contents.call(db, batchContents(ops, this.#prefixOf), { sync: true })
    const batch = db.batch()
    for (const op of ops) {
      const key = Buffer.concat([this.#prefix(op.space), op.key])
      if (op.value === null) batch.del(key)
      else batch.put(key, op.value)
    }
    await batch.write({ sync: true })
  }

  /**
   * A store made before the checkpoints moved out of the log database keeps them in `log/`: copied
   * to their space (fsynced) and then deleted there, so a crash between the two only repeats the copy.
   */
  async #moveCheckpoints (): Promise<void> {
    const old = sublevelOf(this.#db('log'), 'checkpoints')
    if (this.#readOnly) {
      // Read where they are: a read-only open (ken-store verify) changes nothing on disk.
      if ((await old.keys({ limit: 1 }).all()).length > 0) this.#subs = new Map([...this.#subs, ['checkpoints', old]])
      return
    }
    const prefix = this.#prefix('checkpoints')
    while (true) {
      const rows = await old.iterator({ limit: CHUNK }).all()
      if (rows.length === 0) return
      const views = this.#db('views').batch()
      const log = this.#db('log').batch()
      for (const [key, value] of rows) {
        views.put(Buffer.concat([prefix, key]), value)
        log.del(Buffer.concat([prefix, key]))
      }
      await views.write({ sync: true })
      await log.write({ sync: true })
    }
  }

  #db (database: Database): Db {
    const db = this.#dbs.get(database)
    if (db === undefined) throw new RangeError(`unknown database ${database}`)
    return db
  }

  readonly #prefixOf = (space: Space): Buffer => this.#prefix(space)

  #prefix (space: Space): Buffer {
    const prefix = PREFIXES.get(space)
    if (prefix === undefined) throw new RangeError(`unknown space ${space}`)
    return prefix
  }

  #sub (space: Space): Sub {
    const sub = this.#subs.get(space)
    if (sub === undefined) throw new RangeError(`unknown space ${space}`)
    return sub
  }
}
