/**
 * What the outbox reads of a log entry (outbox-reader.ts, store.ts forwardEntries) and of its sealed
 * record (store.ts openForward), read from the entry's bytes (log.proto LogEntry, LogUpdate, LogEffect) without decoding the rest: protobufjs
 * built three messages, a dozen Buffer views (blind indexes, search keys, payload hash) and five
 * strings per entry for the outbox to read six fields, and that garbage was much of the store main
 * thread's work per forward (issue 18). Read as protobufjs reads: fields in any order, the last
 * occurrence wins (a message field too: protobufjs replaces it), unknown fields skipped by wire
 * type, an absent field at its proto3 default — with protobufjs's own Reader (its varints, its skipping by
 * wire type), one for every read, on the bytes in place. Anything that does not parse is
 * KEN_ERR_STORE_CORRUPT, as in codec.ts decodeStored; also a field that runs past its message, whose
 * strings protobufjs's Node reader cuts short instead. When log.proto changes, this file changes with it;
 * forward-entry.test.ts compares it with protobufjs over every kind of entry.
 */
import protobuf from 'protobufjs/minimal.js'
import { LogUpdateKind, ResultStatus, type IdentityUpdate } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
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
const LENGTH_DELIMITED = 2

/** The reader of every read here, pointed at the bytes being read (no reader, no copy per entry). */
const reader = protobuf.Reader.create(EMPTY)

/** Decode `bytes` (a LogEntry the store wrote). @throws KEN_ERR_STORE_CORRUPT */
export function decodeForwardEntry (bytes: Buffer): ForwardEntry {
  return reading(bytes, 'LogEntry', () => {
    const end = bytes.length
    let recordedAt = ''
    let updateStart = -1
    let updateEnd = -1
    while (reader.pos < end) {
      const tag = reader.uint32()
      const field = tag >>> 3
      const wire = tag & 7
      if (wire === LENGTH_DELIMITED && (field === 2 || field === 3)) {
        const start = delimited(end)
        if (field === 2) {
          recordedAt = bytes.toString('utf8', start, reader.pos)
        } else {
          updateStart = start
          updateEnd = reader.pos
        }
      } else {
        skip(wire, end)
      }
    }
    if (updateStart < 0) return { recordedAt, update: null }
    return { recordedAt, update: forwardUpdate(bytes, updateStart, updateEnd) }
  })
}

function forwardUpdate (bytes: Buffer, start: number, end: number): ForwardUpdate | null {
  reader.pos = start
  let municipalityCode = ''
  let kind = 0
  let status = 0
  let keyId: Buffer = EMPTY
  let sealedUpdate: Buffer = EMPTY
  let effectStart = -1
  let effectEnd = -1
  while (reader.pos < end) {
    const tag = reader.uint32()
    const field = tag >>> 3
    const wire = tag & 7
    if (wire === VARINT && (field === 7 || field === 9)) {
      // Enums, read as protobufjs reads them (int32: the low 32 bits, signed).
      const value = reader.int32()
      if (field === 7) kind = value
      else status = value
    } else if (wire === LENGTH_DELIMITED && (field === 1 || field === 13 || field === 14 || field === 15)) {
      const s = delimited(end)
      if (field === 1) municipalityCode = bytes.toString('utf8', s, reader.pos)
      else if (field === 13) keyId = bytes.subarray(s, reader.pos)
      else if (field === 14) sealedUpdate = bytes.subarray(s, reader.pos)
      else {
        effectStart = s
        effectEnd = reader.pos
      }
    } else {
      skip(wire, end)
    }
  }
  if (status !== ResultStatus.ACCEPTED || (kind !== LogUpdateKind.IDENTITY && kind !== LogUpdateKind.FUHYO)) return null
  return { municipalityCode, kind, keyId, sealedUpdate, sealedRecord: effectStart < 0 ? undefined : sealedRecordOf(bytes, effectStart, effectEnd) }
}

/** LogEffect.sealed_record (field 6), empty when absent (protobufjs's default). */
function sealedRecordOf (bytes: Buffer, start: number, end: number): Buffer {
  reader.pos = start
  let sealedRecord: Buffer = EMPTY
  while (reader.pos < end) {
    const tag = reader.uint32()
    if (tag === ((6 << 3) | LENGTH_DELIMITED)) {
      const s = delimited(end)
      sealedRecord = bytes.subarray(s, reader.pos)
    } else {
      skip(tag & 7, end)
    }
  }
  return sealedRecord
}

/** The items of a 本人確認情報 forward (outbox-reader.ts forwardOf; national.proto NationalForward). */
export type ForwardIdentity = Pick<IdentityUpdate, StringItem | 'changeReason' | 'sex'>

type StringItem = 'juminhyoCode' | 'changeDate' | 'nameKanji' | 'nameKana' | 'birthDate' | 'address' | 'kojinBango' | 'kyuujiKanji' | 'kyuujiKana' | 'previousJuminhyoCode'

/**
 * Where the forwarded items of the last identity read lie, by IdentityUpdate field number (update.proto):
 * a string's bytes `[start[f], end[f])` of what was read (start -1: absent, the empty string), an
 * enum's value in `value[f]` (0 when absent). Overwritten by the next read.
 */
export interface IdentityItemsAt {
  readonly start: Int32Array
  readonly end: Int32Array
  readonly value: Int32Array
}

const itemsAt: IdentityItemsAt = { start: new Int32Array(21), end: new Int32Array(21), value: new Int32Array(21) }

/**
 * The forwarded items of a sealed StoredResident's plaintext, located but not decoded (as
 * protobufjs reads them: the last identity, the last occurrence of each item), or
 * null when it has none. @throws KEN_ERR_STORE_CORRUPT
 */
export function readForwardIdentity (bytes: Buffer): IdentityItemsAt | null {
  return reading(bytes, 'StoredResident', () => {
    const end = bytes.length
    let start = -1
    let stop = -1
    while (reader.pos < end) {
      const tag = reader.uint32()
      if (tag === ((1 << 3) | LENGTH_DELIMITED)) {
        start = delimited(end)
        stop = reader.pos
      } else {
        skip(tag & 7, end)
      }
    }
    if (start < 0) return null
    identityItems(start, stop)
    return itemsAt
  })
}

function identityItems (start: number, end: number): void {
  reader.pos = start
  itemsAt.start.fill(-1)
  itemsAt.value.fill(0)
  while (reader.pos < end) {
    const tag = reader.uint32()
    const field = tag >>> 3
    const wire = tag & 7
    if (wire === VARINT && (field === 2 || field === 8)) {
      // Enums, read as protobufjs reads them (int32: the low 32 bits, signed).
      itemsAt.value[field] = reader.int32()
    } else if (wire === LENGTH_DELIMITED && IDENTITY_STRINGS[field] !== undefined) {
      itemsAt.start[field] = delimited(end)
      itemsAt.end[field] = reader.pos
    } else {
      skip(wire, end)
    }
  }
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

/**
 * Run `read` with the reader on `bytes`; what protobufjs's Reader refuses (a varint or a field past the
 * bytes: RangeError; wire type 4 or above 5: Error) is KEN_ERR_STORE_CORRUPT, as decodeStoredMessage.
 */
function reading<T> (bytes: Buffer, name: string, read: () => T): T {
  reader.buf = bytes
  reader.pos = 0
  reader.len = bytes.length
  try {
    return read()
  } catch (err) {
    if (isKenError(err)) throw err
    throw errors.KEN_ERR_STORE_CORRUPT(`${name} does not decode`, { cause: err })
  } finally {
    reader.buf = EMPTY
    reader.len = 0
  }
}

/** A length-delimited field's first byte; the reader moves past it, which must end within `end`. */
function delimited (end: number): number {
  const length = reader.uint32()
  const start = reader.pos
  reader.pos = checked(start + length, end)
  return start
}

/** Skip a field of wire type `wire`, as protobufjs skips it, within the message ending at `end`. */
function skip (wire: number, end: number): void {
  if (wire === LENGTH_DELIMITED) delimited(end)
  else reader.skipType(wire)
  checked(reader.pos, end)
}

function checked (to: number, end: number): number {
  if (to > end) throw errors.KEN_ERR_STORE_CORRUPT('does not decode: a field runs past its message')
  return to
}
