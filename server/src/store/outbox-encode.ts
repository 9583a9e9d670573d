/**
 * The outbox socket's frame of an OutboxMessage (outbox.proto, national.proto, update.proto), a
 * batch of forwards written by hand: the bytes protobufjs's generated encoders write (fields in
 * number order, each one that is not null/undefined, defaults included; proto-writer.ts), in one
 * frame (framing.ts: 4-byte big-endian length, then the message). protobufjs recorded one operation
 * object per field, ~25 per forward, and then copied the message once more into its frame; those
 * objects were much of the store main thread's garbage per forward (issue 18).
 * Confirms and queries are rare and go through protobufjs. When those .proto files change, this file
 * changes with it; outbox-encode.test.ts compares both encoders.
 */
import type { FuhyoUpdate, NationalForward, NationalFuhyoForward, OutboxBatch, OutboxItem, OutboxMessage } from '../../../proto/src/types.ts'
import { encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame } from '../../../proto/src/framing.ts'
import { ProtoWriter } from './proto-writer.ts'
import { PassedForward } from './forward-items.ts'

/** framing.ts encodeFrame: the message's length, 4 bytes big-endian. */
const FRAME_HEADER_BYTES = 4

/** Reused across batches; grows to the largest batch (~1 MB for 4,096 forwards) and stays. */
const w = new ProtoWriter()

/** The frame of `message` as the outbox socket sends it: encodeFrame(encodeComplete('OutboxMessage', message)). */
export function encodeOutboxFrame (message: OutboxMessage): Buffer {
  const batch = message.batch
  if (batch === null || batch === undefined || (message.confirmed !== null && message.confirmed !== undefined) || (message.query !== null && message.query !== undefined)) {
    return encodeFrame(encodeComplete('OutboxMessage', batch === null || batch === undefined ? message : { ...message, batch: { ...batch, items: batch.items.map(plainItem) } }))
  }
  w.reset()
  const at = w.begin(66) // OutboxMessage.batch = 8
  outboxBatch(batch)
  w.end(at)
  const frame = w.finish(FRAME_HEADER_BYTES)
  frame.writeUInt32BE(frame.length - FRAME_HEADER_BYTES, 0)
  return frame
}

function outboxBatch (m: OutboxBatch): void {
  const items = m.items
  if (items !== null && items !== undefined) {
    for (const item of items) {
      const at = w.begin(10)
      outboxItem(item)
      w.end(at)
    }
  }
  w.uint64(16, m.scannedTo)
  w.uint64(24, m.head)
  w.uint64(32, m.confirmed)
  w.string(42, m.errorCode)
}

function outboxItem (m: OutboxItem): void {
  w.string(10, m.recordedAt)
  const identity = m.identity
  if (identity !== null && identity !== undefined) {
    const at = w.begin(18)
    nationalForward(identity)
    w.end(at)
  }
  const fuhyo = m.fuhyo
  if (fuhyo !== null && fuhyo !== undefined) {
    const at = w.begin(26)
    nationalFuhyoForward(fuhyo)
    w.end(at)
  }
}

/** protobufjs writes only own properties: a PassedForward's items, read through getters, made its own. */
function plainItem (item: OutboxItem): OutboxItem {
  return item.identity instanceof PassedForward ? { ...item, identity: item.identity.plain() } : item
}

function nationalForward (m: NationalForward): void {
  if (m instanceof PassedForward) {
    passedForward(m)
    return
  }
  w.uint64(8, m.logPosition)
  w.bytes(18, m.entryHash)
  w.string(26, m.prefectureCode)
  w.string(34, m.municipalityCode)
  w.string(42, m.juminhyoCode)
  w.string(50, m.nameKanji)
  w.string(58, m.nameKana)
  w.string(66, m.birthDate)
  w.int32(72, m.sex)
  w.string(82, m.address)
  w.string(90, m.kojinBango)
  w.int32(96, m.changeReason)
  w.string(106, m.changeDate)
  w.string(114, m.kyuujiKanji)
  w.string(122, m.kyuujiKana)
  w.string(130, m.previousJuminhyoCode)
  w.uint64(136, m.previousPosition)
}

/** nationalForward's fields, the 12 items (5–16) copied as encoded when the record was opened (forward-items.ts). */
function passedForward (m: PassedForward): void {
  w.uint64(8, m.logPosition)
  w.bytes(18, m.entryHash)
  w.string(26, m.prefectureCode)
  w.string(34, m.municipalityCode)
  const items = m.encoded
  w.raw(items.bytes, items.start, items.end)
  w.uint64(136, m.previousPosition)
}

function nationalFuhyoForward (m: NationalFuhyoForward): void {
  w.uint64(8, m.logPosition)
  w.bytes(18, m.entryHash)
  w.string(26, m.prefectureCode)
  w.string(34, m.municipalityCode)
  w.uint64(40, m.previousPosition)
  const fuhyo = m.fuhyo
  if (fuhyo !== null && fuhyo !== undefined) {
    const at = w.begin(50)
    fuhyoUpdate(fuhyo)
    w.end(at)
  }
}

function fuhyoUpdate (m: FuhyoUpdate): void {
  w.string(10, m.juminhyoCode)
  w.string(18, m.nameKanji)
  w.uint32(24, m.nameGaijiCount)
  w.string(34, m.nameKana)
  w.string(42, m.birthDate)
  w.int32(48, m.sex)
  w.string(58, m.addressMunicipalityCode)
  w.string(66, m.address)
  w.uint32(72, m.addressGaijiCount)
  w.string(82, m.lastAddress)
  w.uint32(88, m.lastAddressGaijiCount)
  w.string(98, m.changeDate)
  w.string(106, m.previousJuminhyoCode)
  w.string(114, m.fuhyoMunicipalityCode)
  w.int32(120, m.state)
  w.bool(128, m.gaijiFlag)
  w.string(138, m.gaijiPattern)
  w.int32(144, m.notice)
}
