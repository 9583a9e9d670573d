/**
 * Hand-built updates for the store's tests (the population generator of tests/sim may not exist):
 * a CS that numbers its 更新順番号, and residents with valid 個人番号 (check digit) and 住民票コード.
 * Every update these build passes the gateway's validateUpdate (helpers.test.ts checks that).
 */
import { createHash, pbkdf2 } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { encode } from '../../../proto/src/codec.ts'
import { ChangeReason, FuhyoNotice, FuhyoState, Sex, Stream, type AppendItem, type FuhyoUpdate, type IdentityUpdate, type Update } from '../../../proto/src/types.ts'
import { juminhyoCodeCheckDigit, kojinBangoCheckDigit } from '../../../server/src/domain/identifiers.ts'

/** 福岡市 (401307) and 北九州市 (401005): valid 地方公共団体コード of Fukuoka Prefecture. */
export const FUKUOKA = '401307'
export const KITAKYUSHU = '401005'

/** A 個人番号 with a valid check digit, distinct per seed. */
export function kojinBango (seed: number): string {
  const first11 = String(10_000_000_000 + seed).slice(-11)
  return `${first11}${kojinBangoCheckDigit(first11)}`
}

/** A 住民票コード (11 digits, also valid under the optional modulus-11 rule), distinct per seed. */
export function juminhyoCode (seed: number): string {
  const first10 = String(7_000_000_000 + seed).slice(-10)
  return `${first10}${juminhyoCodeCheckDigit(first10)}`
}

const FAMILY = ['山田', '佐藤', '鈴木', '高橋', '田中', '渡辺', '伊藤', '中村']
const FAMILY_KANA = ['ヤマダ', 'サトウ', 'スズキ', 'タカハシ', 'タナカ', 'ワタナベ', 'イトウ', 'ナカムラ']
const GIVEN = ['太郎', '花子', '一郎', '陽子', '健', '美咲', '翔太', '結衣']
const GIVEN_KANA = ['タロウ', 'ハナコ', 'イチロウ', 'ヨウコ', 'ケン', 'ミサキ', 'ショウタ', 'ユイ']

/** Resident `seed`'s identity items, as a 出生 would carry them. */
export function person (seed: number, overrides: Partial<IdentityUpdate> = {}): IdentityUpdate {
  const f = seed % FAMILY.length
  const g = Math.floor(seed / FAMILY.length) % GIVEN.length
  return {
    juminhyoCode: juminhyoCode(seed),
    changeReason: ChangeReason.SHUSSEI,
    changeDate: '1990-04-01',
    nameKanji: `${FAMILY[f] ?? ''}${GIVEN[g] ?? ''}`,
    nameGaijiCount: 0,
    nameKana: `${FAMILY_KANA[f] ?? ''}${GIVEN_KANA[g] ?? ''}`,
    birthDate: '1990-04-01',
    sex: seed % 2 === 0 ? Sex.MALE : Sex.FEMALE,
    address: `福岡県福岡市早良区百道浜${(seed % 4) + 1}丁目${(seed % 9) + 1}番${(seed % 20) + 1}号`,
    addressGaijiCount: 0,
    kojinBango: kojinBango(seed),
    oazaCode: '0001',
    gaijiFlag: false,
    nameGaijiSerial: 0,
    addressGaijiSerial: 0,
    kyuujiKanji: '',
    kyuujiGaijiCount: 0,
    kyuujiKana: '',
    kyuujiGaijiSerial: 0,
    previousJuminhyoCode: '',
    ...overrides
  }
}

/** Resident `seed`'s 附票 items (never 個人番号). */
export function fuhyo (seed: number, municipalityCode: string, overrides: Partial<FuhyoUpdate> = {}): FuhyoUpdate {
  const p = person(seed)
  return {
    juminhyoCode: p.juminhyoCode,
    nameKanji: p.nameKanji,
    nameGaijiCount: 0,
    nameKana: p.nameKana,
    birthDate: p.birthDate,
    sex: p.sex,
    addressMunicipalityCode: municipalityCode,
    address: p.address,
    addressGaijiCount: 0,
    lastAddress: p.address,
    lastAddressGaijiCount: 0,
    changeDate: '2020-01-10',
    previousJuminhyoCode: '',
    fuhyoMunicipalityCode: municipalityCode,
    state: FuhyoState.CURRENT,
    gaijiFlag: false,
    gaijiPattern: '',
    notice: FuhyoNotice.NEW,
    ...overrides
  }
}

/** A municipal CS: numbers its updates per stream, and wraps them as the gateway hands them over. */
export class Cs {
  readonly municipalityCode: string
  #next = new Map<Stream, number>()

  constructor (municipalityCode: string) {
    this.municipalityCode = municipalityCode
  }

  /** The next 更新順番号 of `stream` (without taking it). */
  peek (stream: Stream = Stream.NORMAL): number {
    return this.#next.get(stream) ?? 1
  }

  /** Skip `n` numbers (to make a gap). */
  advance (n: number, stream: Stream = Stream.NORMAL): void {
    this.#next.set(stream, this.peek(stream) + n)
  }

  /** An Update with an 本人確認情報 body. */
  identity (body: IdentityUpdate, stream: Stream = Stream.NORMAL): Update {
    return this.#envelope({ identity: body }, stream)
  }

  /** An Update with a 附票 body. */
  fuhyo (body: FuhyoUpdate, stream: Stream = Stream.NORMAL): Update {
    return this.#envelope({ fuhyo: body }, stream)
  }

  #envelope (body: Pick<Update, 'identity' | 'fuhyo'>, stream: Stream): Update {
    const sequence = this.peek(stream)
    this.#next.set(stream, sequence + 1)
    return {
      municipalityCode: this.municipalityCode,
      stream,
      sequence,
      requestId: `REQ-${this.municipalityCode}-${stream}-${sequence}`,
      operatorId: 'OP0001',
      terminalId: 'TERM01',
      timestamp: '2024-04-01T10:00:00+09:00',
      identity: null,
      fuhyo: null,
      ...body
    }
  }
}

/** The AppendItem the gateway sends for a decoded, validated update. */
export function item (update: Update, municipalityCode = update.municipalityCode): AppendItem {
  const payload = encode('Update', update)
  return { municipalityCode, update, rejection: null, payloadSha256: createHash('sha256').update(payload).digest() }
}

/** The AppendItem for a payload the gateway refused before the store. */
export function preRejected (municipalityCode: string, reasonCode: string, options: { stream?: Stream, sequence?: number, field?: string } = {}): AppendItem {
  return {
    municipalityCode,
    update: null,
    rejection: { reasonCode, field: options.field ?? '', stream: options.stream ?? Stream.UNSPECIFIED, sequence: options.sequence ?? 0, requestId: '', payloadLength: 17 },
    payloadSha256: createHash('sha256').update('garbage').digest()
  }
}

/** A fresh temporary directory, removed when the test ends. */
export function tempDir (t: { teardown: (fn: () => void) => void }, prefix = 'ken-store-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** A fixed appliance key for tests that do not exercise the key file. */
export const TEST_APPLIANCE_KEY = Buffer.alloc(32, 7)

/** Occupy every libuv pool thread (level-point-read, level-search-read tests); `done` resolves when all are free again. */
export function holdPool (): { released: () => boolean, done: Promise<void> } {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
  let free = false
  const done = Promise.all(Array.from({ length: threads }, async () => await new Promise<void>((resolve, reject) => {
    pbkdf2('pool', 'held', 600_000, 32, 'sha256', (err) => { free = true; if (err === null) resolve(); else reject(err) })
  }))).then(() => undefined)
  return { released: () => free, done }
}
