/**
 * The national simulator's durable store (SPEC §5.1 "its own durable store"): LevelDB, every batch
 * written with `sync: true` (fsync) before anything is acknowledged. It keeps, per prefecture, the
 * forwards by log position and the last position held (dedup and the gap check), and the national
 * file of 本人確認情報 by 住民票コード (with a 個人番号 index) that queries are answered from.
 */
import { ClassicLevel } from 'classic-level'
import { decode, encode } from '../../../proto/src/codec.ts'
import type { NationalForward, NationalFuhyoForward } from '../../../proto/src/types.ts'

type Db = ClassicLevel<string, Buffer>

/** One forward held: which kind, and its decoded message. */
export type HeldForward = { readonly kind: 'identity', readonly forward: NationalForward } | { readonly kind: 'fuhyo', readonly forward: NationalFuhyoForward }

const IDENTITY = 1
const FUHYO = 2

const lastKey = (pref: string): string => `L!${pref}`
const forwardKey = (pref: string, position: number): string => `F!${pref}!${String(position).padStart(16, '0')}`
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
   * Write forwards (already checked in order) and the new last position, durably, in one batch. A
   * chained batch, each identity forward encoded once for both its keys: abstract-level's array batch
   * was ~38 % of the simulator's CPU (issue 18: it shares the bench's two cores with the appliance).
   */
  async commit (pref: string, forwards: readonly HeldForward[]): Promise<void> {
    const batch = this.#db.batch()
    let last = 0
    for (const h of forwards) {
      const position = h.forward.logPosition
      last = Math.max(last, position)
      const bytes = h.kind === 'identity' ? encode('NationalForward', h.forward) : encode('NationalFuhyoForward', h.forward)
      batch.put(forwardKey(pref, position), Buffer.concat([Buffer.of(h.kind === 'identity' ? IDENTITY : FUHYO), bytes]))
      if (h.kind === 'identity') for (const op of residentOps(h.forward, bytes)) batch.put(op.key, op.value)
    }
    batch.put(lastKey(pref), Buffer.from(String(last), 'latin1'))
    await batch.write({ sync: true })
  }

  /** Seed residents of other prefectures (the national file the simulator answers queries from). */
  async seed (records: readonly NationalForward[]): Promise<void> {
    await this.#db.batch(records.flatMap((r) => residentOps(r)), { sync: true })
  }

  /** Every forward held for a prefecture, in position order. */
  async forwards (pref: string): Promise<HeldForward[]> {
    const out: HeldForward[] = []
    for await (const [, value] of this.#db.iterator({ gte: `F!${pref}!`, lt: `F!${pref}"` })) {
      out.push(value[0] === IDENTITY
        ? { kind: 'identity', forward: decode('NationalForward', value.subarray(1)) }
        : { kind: 'fuhyo', forward: decode('NationalFuhyoForward', value.subarray(1)) })
    }
    return out
  }

  async byJuminhyo (code: string): Promise<NationalForward | undefined> {
    const v = await this.#db.get(residentKey(code))
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

function residentOps (f: NationalForward, encoded: Uint8Array = encode('NationalForward', f)): Array<{ type: 'put', key: string, value: Buffer }> {
  const ops = [{ type: 'put' as const, key: residentKey(f.juminhyoCode), value: Buffer.from(encoded) }]
  if (f.kojinBango !== '') ops.push({ type: 'put', key: kojinKey(f.kojinBango), value: Buffer.from(f.juminhyoCode, 'latin1') })
  return ops
}
