/**
 * A 本人確認情報 forward's 12 items passed from the opened record to the outbox frame as bytes (issue 18):
 * each forward's strings were decoded from the record (forward-entry.ts readForwardIdentity's items) only for
 * outbox-encode.ts to encode them again, ~15 % of the store main thread's work per forward. The items
 * are NationalForward fields 5–16 (national.proto), contiguous between municipality_code (4) and
 * previous_position (17) in the order the frame writes its fields, so they are encoded once, when the
 * record is opened, into the bytes the frame copies. Each is written as outbox-encode.ts writes it from
 * the decoded string (ProtoWriter.utf8: well-formed UTF-8 copied, anything else decoded and written;
 * an absent string as '', an absent enum as 0): the frame stays byte for byte what protobufjs writes
 * (outbox-encode.test.ts, forward-items.test.ts). Only the 12 items a forward carries are written,
 * never the record's other fields (operator, terminal, 清音 kana, …) nor any unknown one.
 */
import type { ChangeReason, NationalForward, Sex } from '../../../proto/src/types.ts'
import { messageType } from '../../../proto/src/schema.ts'
import { readForwardIdentity, type ForwardIdentity, type IdentityItemsAt } from './forward-entry.ts'
import { ProtoWriter } from './proto-writer.ts'

/** A forward's 12 items, encoded as NationalForward fields 5–16: `bytes[start, end)`. */
export class EncodedIdentity {
  readonly bytes: Buffer
  readonly start: number
  readonly end: number

  constructor (bytes: Buffer, start: number, end: number) {
    this.bytes = bytes
    this.start = start
    this.end = end
  }

  /** The items decoded (by protobufjs, as ken-national decodes the frame; any enum value as it stands). */
  items (): ForwardIdentity {
    const f = messageType('NationalForward').decode(this.bytes.subarray(this.start, this.end)) as unknown as NationalForward
    return { juminhyoCode: f.juminhyoCode, changeReason: f.changeReason, changeDate: f.changeDate, nameKanji: f.nameKanji, nameKana: f.nameKana, birthDate: f.birthDate, sex: f.sex, address: f.address, kojinBango: f.kojinBango, kyuujiKanji: f.kyuujiKanji, kyuujiKana: f.kyuujiKana, previousJuminhyoCode: f.previousJuminhyoCode }
  }
}

/**
 * Write the forwarded items of a sealed StoredResident's plaintext (as readForwardIdentity locates
 * them) to `w` as NationalForward fields 5–16; false, nothing written, when the record has no identity.
 * @throws KEN_ERR_STORE_CORRUPT
 */
export function writeForwardIdentity (plain: Buffer, w: ProtoWriter): boolean {
  const at = readForwardIdentity(plain)
  if (at === null) return false
  // NationalForward field ← IdentityUpdate field (national.proto, update.proto), in field order.
  item(w, 42, plain, at, 1) // 5 juminhyo_code ← 1
  item(w, 50, plain, at, 4) // 6 name_kanji ← 4
  item(w, 58, plain, at, 6) // 7 name_kana ← 6
  item(w, 66, plain, at, 7) // 8 birth_date ← 7
  w.int32(72, at.value[8] as Sex) // 9 sex ← 8
  item(w, 82, plain, at, 9) // 10 address ← 9
  item(w, 90, plain, at, 11) // 11 kojin_bango ← 11
  w.int32(96, at.value[2] as ChangeReason) // 12 change_reason ← 2
  item(w, 106, plain, at, 3) // 13 change_date ← 3
  item(w, 114, plain, at, 16) // 14 kyuuji_kanji ← 16
  item(w, 122, plain, at, 18) // 15 kyuuji_kana ← 18
  item(w, 130, plain, at, 20) // 16 previous_juminhyo_code ← 20
  return true
}

function item (w: ProtoWriter, tag: number, plain: Buffer, at: IdentityItemsAt, field: number): void {
  const start = at.start[field] as number
  if (start < 0) w.string(tag, '')
  else w.utf8(tag, plain, start, at.end[field] as number)
}

const one = new ProtoWriter()

/** The items of one plaintext in bytes of their own (store.ts openForward); null without an identity. */
export function encodeForwardIdentity (plain: Buffer): EncodedIdentity | null {
  one.reset()
  try {
    if (!writeForwardIdentity(plain, one)) return null
    const bytes = one.finish()
    return new EncodedIdentity(bytes, 0, bytes.length)
  } finally {
    one.wipe()
  }
}

/**
 * A 本人確認情報 forward whose items are {@link EncodedIdentity} bytes (outbox-encode.ts copies them);
 * they read as strings too, decoded when asked (tests; the server reads none). protobufjs's encoders
 * write only own properties, so an OutboxMessage holding one goes through outbox-encode.ts, which
 * writes it or turns it into a plain NationalForward ({@link plain}).
 */
export class PassedForward implements NationalForward {
  logPosition: number
  entryHash: Uint8Array
  prefectureCode: string
  municipalityCode: string
  previousPosition: number
  readonly encoded: EncodedIdentity
  #items: ForwardIdentity | undefined

  constructor (logPosition: number, entryHash: Uint8Array, prefectureCode: string, municipalityCode: string, previousPosition: number, encoded: EncodedIdentity) {
    this.logPosition = logPosition
    this.entryHash = entryHash
    this.prefectureCode = prefectureCode
    this.municipalityCode = municipalityCode
    this.previousPosition = previousPosition
    this.encoded = encoded
  }

  #decoded (): ForwardIdentity {
    this.#items ??= this.encoded.items()
    return this.#items
  }

  get juminhyoCode (): string { return this.#decoded().juminhyoCode }
  get nameKanji (): string { return this.#decoded().nameKanji }
  get nameKana (): string { return this.#decoded().nameKana }
  get birthDate (): string { return this.#decoded().birthDate }
  get sex (): Sex { return this.#decoded().sex }
  get address (): string { return this.#decoded().address }
  get kojinBango (): string { return this.#decoded().kojinBango }
  get changeReason (): ChangeReason { return this.#decoded().changeReason }
  get changeDate (): string { return this.#decoded().changeDate }
  get kyuujiKanji (): string { return this.#decoded().kyuujiKanji }
  get kyuujiKana (): string { return this.#decoded().kyuujiKana }
  get previousJuminhyoCode (): string { return this.#decoded().previousJuminhyoCode }

  /** A plain NationalForward, every field its own. */
  plain (): NationalForward {
    const i = this.#decoded()
    return { logPosition: this.logPosition, entryHash: this.entryHash, prefectureCode: this.prefectureCode, municipalityCode: this.municipalityCode, juminhyoCode: i.juminhyoCode, nameKanji: i.nameKanji, nameKana: i.nameKana, birthDate: i.birthDate, sex: i.sex, address: i.address, kojinBango: i.kojinBango, changeReason: i.changeReason, changeDate: i.changeDate, kyuujiKanji: i.kyuujiKanji, kyuujiKana: i.kyuujiKana, previousJuminhyoCode: i.previousJuminhyoCode, previousPosition: this.previousPosition }
  }
}
