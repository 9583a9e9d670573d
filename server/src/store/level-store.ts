/**
 * The LevelDB store (classic-level): one database, one sublevel per space (layout.ts), every commit
 * group one `batch(…, { sync: true })` — atomic across the log, the keys and the views, and on disk
 * before the group's results are released (SPEC §3 "PUBACK only after fsync", §4 group commit).
 */
import { ClassicLevel } from 'classic-level'
import { Store, type Head, type Range, type StoreOptions } from './store.ts'
import { SPACES, type Space, type WriteOp } from './layout.ts'
import { verifyInWorkers } from './verify-parallel.ts'
import type { ChainSlice } from './chain-verifier.ts'

type Db = ClassicLevel<Buffer, Buffer>

export interface LevelStoreOptions extends StoreOptions {
  /** The database directory. */
  readonly location: string
  /** LevelDB block cache, bytes (default 64 MiB). */
  readonly cacheSize?: number
  /** LevelDB write buffer, bytes (default 16 MiB). */
  readonly writeBufferSize?: number
  /** Create the database when missing (default true; the offline tools refuse a wrong path instead). */
  readonly createIfMissing?: boolean
}

const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
const CHUNK = 1024

function sublevelOf (db: Db, space: Space) {
  return db.sublevel<Buffer, Buffer>(space, ENCODING)
}
type Sub = ReturnType<typeof sublevelOf>

/** abstract-level's sublevel prefix: `!` name `!`. */
const PREFIXES: ReadonlyMap<Space, Buffer> = new Map(SPACES.map((space) => [space, Buffer.from(`!${space}!`, 'latin1')]))

export class LevelStore extends Store {
  readonly #location: string
  readonly #db: Db
  readonly #subs: ReadonlyMap<Space, Sub>

  constructor (options: LevelStoreOptions) {
    super(options)
    this.#location = options.location
    // multithreading: verify's worker threads open the same database alongside this handle.
    this.#db = new ClassicLevel<Buffer, Buffer>(options.location, { ...ENCODING, multithreading: true, createIfMissing: options.createIfMissing ?? true, cacheSize: options.cacheSize ?? 64 << 20, writeBufferSize: options.writeBufferSize ?? 16 << 20 })
    this.#subs = new Map(SPACES.map((space) => [space, sublevelOf(this.#db, space)]))
  }

  get location (): string {
    return this.#location
  }

  protected override async _open (): Promise<void> {
    await this.#db.open()
  }

  protected override async _close (): Promise<void> {
    await this.#db.close()
  }

  protected override async _getMany (space: Space, keys: readonly Buffer[]): Promise<Array<Buffer | undefined>> {
    if (keys.length === 0) return []
    return await this.#sub(space).getMany([...keys])
  }

  protected override async _write (ops: readonly WriteOp[]): Promise<void> {
    // A chained batch, with the sublevels' own key prefix (`!space!`) put on here: the same bytes as
    // writing through each sublevel, at a fraction of the cost of an array batch on the commit path.
    const batch = this.#db.batch()
    for (const op of ops) {
      const key = Buffer.concat([this.#prefix(op.space), op.key])
      if (op.value === null) batch.del(key)
      else batch.put(key, op.value)
    }
    await batch.write({ sync: true })
  }

  protected override async * _iterate (space: Space, range: Range): AsyncGenerator<ReadonlyArray<readonly [Buffer, Buffer]>> {
    // highWaterMarkBytes is classic-level's; sublevels pass it through to the database iterator.
    const options: Range & { highWaterMarkBytes: number } = { ...range, highWaterMarkBytes: 8 << 20 }
    const iterator = this.#sub(space).iterator(options)
    // Read ahead: LevelDB fetches the next chunk (in its thread pool) while the caller works on this one.
    let next = iterator.nextv(CHUNK)
    try {
      while (true) {
        const chunk = await next
        if (chunk.length === 0) return
        next = iterator.nextv(CHUNK)
        yield chunk
      }
    } finally {
      await next.catch(() => undefined)
      await iterator.close()
    }
  }

  protected override async _clear (space: Space): Promise<void> {
    await this.#sub(space).clear()
  }

  protected override async _verifyLog (threads: number, recorded: Head | undefined): Promise<ChainSlice> {
    if (threads <= 1) return await super._verifyLog(threads, recorded)
    return await verifyInWorkers(this.#location, threads, recorded, async () => await super._verifyLog(1, recorded))
  }

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
