/**
 * The national simulator's durable store (SPEC §5.1 "its own durable store"): LevelDB, every batch
 * written with `sync: true` (fsync) before anything is acknowledged. It keeps, per prefecture, the
 * forwards by log position and the last position held (dedup and the gap check), and the national
 * file of 本人確認情報 by 住民票コード (with a 個人番号 index) that queries are answered from.
 */
import { ClassicLevel } from 'classic-level'
import { decode, encode } from '../../../proto/src/codec.ts'
import type { NationalForward, NationalFuhyoForward } from '../../../proto/src/types.ts'
import type { ReceivedForward } from './forward-read.ts'
import { batchContents } from '../../../server/src/store/level-batch.ts'
import type { WriteOp } from '../../../server/src/store/layout.ts'

type Db = ClassicLevel<string, Buffer>

/** One forward held, as read back: which kind, and its decoded message. */
export type HeldForward = { readonly kind: 'identity', readonly forward: NationalForward } | { readonly kind: 'fuhyo', readonly forward: NationalFuhyoForward }

const IDENTITY = 1
const FUHYO = 2

/** The keys' spaces: forwards by position, the national file by 住民票コード, its 個人番号 index, the last position held. */
type Prefix = 'F!' | 'R!' | 'K!' | 'L!'
const PREFIXES: ReadonlyMap<Prefix, Buffer> = new Map((['F!', 'R!', 'K!', 'L!'] as const).map((p) => [p, Buffer.from(p, 'latin1')]))
const prefixOf = (p: Prefix): Buffer => PREFIXES.get(p) as Buffer
/** The batch write patches/classic-level-3.0.0-batch-contents.patch adds to classic-level 3.0.0 (as level-store.ts). */
interface ContentsWrite { writeBatchContents: (contents: Uint8Array, options: { sync: boolean }) => Promise<void> }

const lastKey = (pref: string): string => `L!${pref}`
const positionKey = (pref: string, position: number): string => `${pref}!${String(position).padStart(16, '0')}`
const residentKey = (code: string): string => `R!${code}`
const kojinKey = (kojin: string): string => `K!${kojin}`

/**
 * LevelDB options of the simulator's database. It runs on the bench's two cores beside the appliance
 * (bench/national.ts), and with LevelDB's defaults — a 4 MiB memtable, snappy on every block — its
 * forwards and its national file (keys by 住民票コード and 個人番号, spread at random) were rewritten
 * level after level: session 14's 5.1 M load compacted 14,984 MB to keep 1.8 GB (its LOG). As the
 * store's views (server/src/store/level-tuning.ts): a larger memtable means fewer levels a key passes,
 * and its values (protobuf with random codes) gain little from snappy.
 */
export const SIM_LEVEL_TUNING = Object.freeze({ writeBufferSize: 64 * 1024 * 1024, compression: false })

export class SimStore {
  readonly #db: Db

  constructor (location: string) {
    this.#db = new ClassicLevel<string, Buffer>(location, { keyEncoding: 'utf8', valueEncoding: 'buffer', ...SIM_LEVEL_TUNING })
  }

  async open (): Promise<void> {
    await this.#db.open()
  }

  async close (): Promise<void> {
    await this.#db.close()
  }

  /** The last position held for a prefecture (0 when none). */
  async last (pref: string): Promise<number> {
    const v = await this.#db.get(lastKey(pref))
    return v === undefined ? 0 : Number(v.toString('latin1'))
  }

  /**
   * Write forwards (already checked in order) and the new last position, durably, in one batch (issue
   * 18: the simulator shares the bench's two cores with the appliance; abstract-level's array batch
   * was ~38 % of its CPU, then three native puts per forward). Each forward is kept as the bytes that
   * came, under its position and, for an identity forward, under its 住民票コード (the national file).
   */
  async commit (pref: string, forwards: readonly ReceivedForward[]): Promise<void> {
    const ops: Array<WriteOp<Prefix>> = []
    let last = 0
    for (const f of forwards) {
      last = Math.max(last, f.position)
      const held = Buffer.allocUnsafe(1 + f.bytes.length)
      held[0] = f.kind === 'identity' ? IDENTITY : FUHYO
      f.bytes.copy(held, 1)
      ops.push({ space: 'F!', key: Buffer.from(positionKey(pref, f.position), 'latin1'), value: held })
      if (f.kind === 'identity') {
        ops.push({ space: 'R!', key: Buffer.from(f.juminhyoCode), value: f.bytes })
        if (f.kojinBango !== '') ops.push({ space: 'K!', key: Buffer.from(f.kojinBango), value: Buffer.from(f.juminhyoCode, 'latin1') })
      }
    }
    ops.push({ space: 'L!', key: Buffer.from(pref, 'latin1'), value: Buffer.from(String(last), 'latin1') })
    // The batch as LevelDB's serialized WriteBatch, in one native call where the binding has it
    // (server/src/store/level-batch.ts); else a chained batch of the same puts: the same bytes on disk.
    const contents = (this.#db as Partial<ContentsWrite>).writeBatchContents
    if (contents !== undefined) return await contents.call(this.#db, batchContents(ops, prefixOf), { sync: true })
    const batch = this.#db.batch()
    for (const op of ops) batch.put(op.space + op.key.toString(), op.value ?? Buffer.alloc(0))
    await batch.write({ sync: true })
  }

  /** Seed residents of other prefectures (the national file the simulator answers queries from). */
  async seed (records: readonly NationalForward[]): Promise<void> {
    await this.#db.batch(records.flatMap(residentOps), { sync: true })
  }

  /** Every forward held for a prefecture, in position order, as stored: its kind (1 identity, 2 附票), then its bytes as they came. */
  async held (pref: string): Promise<Buffer[]> {
    const out: Buffer[] = []
    for await (const value of this.#db.values({ gte: `F!${pref}!`, lt: `F!${pref}"` })) out.push(value)
    return out
  }

  /** Every forward held for a prefecture, in position order, decoded. */
  async forwards (pref: string): Promise<HeldForward[]> {
    return (await this.held(pref)).map((value) => value[0] === IDENTITY
      ? { kind: 'identity', forward: decode('NationalForward', value.subarray(1)) }
      : { kind: 'fuhyo', forward: decode('NationalFuhyoForward', value.subarray(1)) })
  }

  /** The national file's record of a 住民票コード as stored (a NationalForward). */
  async resident (code: string): Promise<Buffer | undefined> {
    return await this.#db.get(residentKey(code))
  }

  async byJuminhyo (code: string): Promise<NationalForward | undefined> {
    const v = await this.resident(code)
    return v === undefined ? undefined : decode('NationalForward', v)
  }

  async byKojin (kojin: string): Promise<NationalForward | undefined> {
    const code = await this.#db.get(kojinKey(kojin))
    return code === undefined ? undefined : await this.byJuminhyo(code.toString('latin1'))
  }

  /** Every record of the national file, for a 4情報 search (the simulator's file is small). */
  async * residents (): AsyncGenerator<NationalForward> {
    for await (const [, value] of this.#db.iterator({ gte: 'R!', lt: 'R"' })) yield decode('NationalForward', value)
  }
}

function residentOps (f: NationalForward): Array<{ type: 'put', key: string, value: Buffer }> {
  const ops = [{ type: 'put' as const, key: residentKey(f.juminhyoCode), value: Buffer.from(encode('NationalForward', f)) }]
  if (f.kojinBango !== '') ops.push({ type: 'put', key: kojinKey(f.kojinBango), value: Buffer.from(f.juminhyoCode, 'latin1') })
  return ops
}
