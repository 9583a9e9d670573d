/**
 * What the outbox reads of a log entry (outbox-reader.ts, store.ts forwardEntries) and of its sealed
 * record (store.ts openForward), read from the entry's bytes (log.proto LogEntry, LogUpdate, LogEffect) without decoding the rest: protobufjs
 * built three messages, a dozen Buffer views (blind indexes, search keys, payload hash) and five
 * strings per entry for the outbox to read six fields, and that garbage was much of the store main
 * thread's work per forward (issue 18). Read as protobufjs reads: fields in any order, the last
 * occurrence wins (a message field too: protobufjs replaces it), unknown fields skipped by wire
 * type, an absent field at its proto3 default. Anything that does not parse is KEN_ERR_STORE_CORRUPT,
 * as in codec.ts decodeStored; also a string that runs past its message, which protobufjs's Node
 * reader cuts short instead. When log.proto changes, this file changes with it; forward-entry.test.ts
 * compares it with protobufjs over every kind of entry.
 */
import { LogUpdateKind, ResultStatus, type ChangeReason, type IdentityUpdate, type Sex } from '../../../proto/src/types.ts'
import { errors } from './errors.ts'

/** An entry as the outbox sees it. */
export interface ForwardEntry {
  readonly recordedAt: string
  /** The update, when the entry is a forward: an ACCEPTED 本人確認情報 or 附票 update; else null. */
  readonly update: ForwardUpdate | null
}

/** A log entry read by {@link decodeForwardEntry} (store.ts forwardEntries). */
export interface ForwardRecord {
  readonly position: number
  /** The chain hash (SHA-256 over prev_hash ‖ entry); empty when the entry is not a forward. */
  readonly hash: Buffer
  readonly entry: ForwardEntry
}

export interface ForwardUpdate {
  readonly municipalityCode: string
  readonly kind: LogUpdateKind
  readonly keyId: Buffer
  readonly sealedUpdate: Buffer
  /** LogEffect.sealed_record; undefined when the update has no effect. */
  readonly sealedRecord: Buffer | undefined
}

const EMPTY: Buffer = Buffer.alloc(0)
const VARINT = 0
const FIXED64 = 1
const LENGTH_DELIMITED = 2
const FIXED32 = 5

/** A position in the bytes being read (one per call, no allocation per field). */
let at = 0

/** Decode `bytes` (a LogEntry the store wrote). @throws KEN_ERR_STORE_CORRUPT */
export function decodeForwardEntry (bytes: Buffer): ForwardEntry {
  at = 0
  const end = bytes.length
  let recordedAt = ''
  let updateStart = -1
  let updateEnd = -1
  while (at < end) {
    const tag = varint(bytes, end)
    const field = tag >>> 3
    const wire = tag & 7
    if (wire === LENGTH_DELIMITED && (field === 2 || field === 3)) {
      const length = varint(bytes, end)
      const start = at
      at = checked(start + length, end)
      if (field === 2) {
        recordedAt = bytes.toString('utf8', start, at)
      } else {
        updateStart = start
        updateEnd = at
      }
    } else {
      skip(bytes, end, wire)
    }
  }
  if (updateStart < 0) return { recordedAt, update: null }
  return { recordedAt, update: forwardUpdate(bytes, updateStart, updateEnd) }
}

function forwardUpdate (bytes: Buffer, start: number, end: number): ForwardUpdate | null {
  at = start
  let municipalityCode = ''
  let kind = 0
  let status = 0
  let keyId: Buffer = EMPTY
  let sealedUpdate: Buffer = EMPTY
  let effectStart = -1
  let effectEnd = -1
  while (at < end) {
    const tag = varint(bytes, end)
    const field = tag >>> 3
    const wire = tag & 7
    if (wire === VARINT && (field === 7 || field === 9)) {
      // Enums, read as protobufjs's int32: the low 32 bits, signed.
      const value = varintLow32(bytes, end) | 0
      if (field === 7) kind = value
      else status = value
    } else if (wire === LENGTH_DELIMITED && (field === 1 || field === 13 || field === 14 || field === 15)) {
      const length = varint(bytes, end)
      const s = at
      at = checked(s + length, end)
      if (field === 1) municipalityCode = bytes.toString('utf8', s, at)
      else if (field === 13) keyId = bytes.subarray(s, at)
      else if (field === 14) sealedUpdate = bytes.subarray(s, at)
      else {
        effectStart = s
        effectEnd = at
      }
    } else {
      skip(bytes, end, wire)
    }
  }
  if (status !== ResultStatus.ACCEPTED || (kind !== LogUpdateKind.IDENTITY && kind !== LogUpdateKind.FUHYO)) return null
  return { municipalityCode, kind, keyId, sealedUpdate, sealedRecord: effectStart < 0 ? undefined : sealedRecordOf(bytes, effectStart, effectEnd) }
}

/** LogEffect.sealed_record (field 6), empty when absent (protobufjs's default). */
function sealedRecordOf (bytes: Buffer, start: number, end: number): Buffer {
  at = start
  let sealedRecord: Buffer = EMPTY
  while (at < end) {
    const tag = varint(bytes, end)
    if (tag === ((6 << 3) | LENGTH_DELIMITED)) {
      const length = varint(bytes, end)
      const s = at
      at = checked(s + length, end)
      sealedRecord = bytes.subarray(s, at)
    } else {
      skip(bytes, end, tag & 7)
    }
  }
  return sealedRecord
}

/** The items of a 本人確認情報 forward (outbox-reader.ts forwardOf; national.proto NationalForward). */
export type ForwardIdentity = Pick<IdentityUpdate, StringItem | 'changeReason' | 'sex'>

type StringItem = 'juminhyoCode' | 'changeDate' | 'nameKanji' | 'nameKana' | 'birthDate' | 'address' | 'kojinBango' | 'kyuujiKanji' | 'kyuujiKana' | 'previousJuminhyoCode'

/**
 * The forwarded items of a sealed StoredResident's plaintext (log.proto; its `identity`, update.proto
 * IdentityUpdate), or null when it has none: the 12 of its 20 items a forward carries, without
 * the record's own strings (operator, terminal, timestamp, 清音 kana, …) that protobufjs decoded too.
 * @throws KEN_ERR_STORE_CORRUPT
 */
export function decodeForwardIdentity (bytes: Buffer): ForwardIdentity | null {
  at = 0
  const end = bytes.length
  let start = -1
  let stop = -1
  while (at < end) {
    const tag = varint(bytes, end)
    if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
      const length = varint(bytes, end)
      start = at
      at = checked(start + length, end)
      stop = at
    } else {
      skip(bytes, end, tag & 7)
    }
  }
  return start < 0 ? null : identityItems(bytes, start, stop)
}

function identityItems (bytes: Buffer, start: number, end: number): ForwardIdentity {
  at = start
  const i: ForwardIdentity = { juminhyoCode: '', changeReason: 0 as ChangeReason, changeDate: '', nameKanji: '', nameKana: '', birthDate: '', sex: 0 as Sex, address: '', kojinBango: '', kyuujiKanji: '', kyuujiKana: '', previousJuminhyoCode: '' }
  while (at < end) {
    const tag = varint(bytes, end)
    const field = tag >>> 3
    const wire = tag & 7
    if (wire === VARINT && (field === 2 || field === 8)) {
      const value = varintLow32(bytes, end) | 0
      if (field === 2) i.changeReason = value as ChangeReason
      else i.sex = value as Sex
    } else if (wire === LENGTH_DELIMITED && IDENTITY_STRINGS[field] !== undefined) {
      const length = varint(bytes, end)
      const s = at
      at = checked(s + length, end)
      i[IDENTITY_STRINGS[field] as StringItem] = bytes.toString('utf8', s, at)
    } else {
      skip(bytes, end, wire)
    }
  }
  return i
}

/** IdentityUpdate's string fields a forward carries, by field number (update.proto). */
const IDENTITY_STRINGS: ReadonlyArray<StringItem | undefined> = (() => {
  const byField: Array<StringItem | undefined> = []
  byField[1] = 'juminhyoCode'
  byField[3] = 'changeDate'
  byField[4] = 'nameKanji'
  byField[6] = 'nameKana'
  byField[7] = 'birthDate'
  byField[9] = 'address'
  byField[11] = 'kojinBango'
  byField[16] = 'kyuujiKanji'
  byField[18] = 'kyuujiKana'
  byField[20] = 'previousJuminhyoCode'
  return byField
})()

function skip (bytes: Buffer, end: number, wire: number): void {
  if (wire === VARINT) varintLow32(bytes, end)
  else if (wire === FIXED64) at = checked(at + 8, end)
  else if (wire === LENGTH_DELIMITED) at = checked(varint(bytes, end) + at, end)
  else if (wire === FIXED32) at = checked(at + 4, end)
  else throw errors.KEN_ERR_STORE_CORRUPT(`LogEntry does not decode: wire type ${wire}`)
}

function checked (to: number, end: number): number {
  if (to > end) throw errors.KEN_ERR_STORE_CORRUPT('does not decode: a field runs past its message')
  return to
}

/** A varint used as a length or a tag: at most 2^53 - 1 here (larger ones run past any buffer). */
function varint (bytes: Buffer, end: number): number {
  let value = 0
  let scale = 1
  for (let i = 0; i < 10; i++) {
    if (at >= end) break
    const byte = bytes[at++] as number
    value += (byte & 0x7f) * scale
    if ((byte & 0x80) === 0) return value
    scale *= 128
  }
  throw errors.KEN_ERR_STORE_CORRUPT('does not decode: a varint runs past its message')
}

/** A varint's low 32 bits (protobufjs's int32 / uint32 read), however long it is (at most 10 bytes). */
function varintLow32 (bytes: Buffer, end: number): number {
  let value = 0
  for (let i = 0; i < 10; i++) {
    if (at >= end) break
    const byte = bytes[at++] as number
    if (i < 5) value = (value | ((byte & 0x7f) << (7 * i))) >>> 0
    if ((byte & 0x80) === 0) return value
  }
  throw errors.KEN_ERR_STORE_CORRUPT('does not decode: a varint runs past its message')
}
