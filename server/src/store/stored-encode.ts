/**
 * Hand-written encoders of the messages the store encodes for every accepted update (LogEntry with
 * its LogUpdate and LogEffect, StoredResident, ResidentView, DedupView, CountsView), field for field as protobufjs's
 * generated encoders of log.proto and update.proto write them (fields in number order, each one
 * that is not null/undefined): the same bytes, without protobufjs's per-field operation objects.
 * A LogEntry of an administrative act or an act is rare and goes through protobufjs.
 * When log.proto changes, this file changes with it; stored-encode.test.ts compares both encoders.
 */
import type { CountsView, DedupView, IdentityUpdate, LogEffect, LogEntry, LogUpdate, ResidentView, StoredResident } from '../../../proto/src/types.ts'
import { ProtoWriter } from './proto-writer.ts'

const w = new ProtoWriter()

/**
 * LogEntry, or undefined when it is not an update's (the caller encodes it with protobufjs); with
 * `headerBytes` and `trailerBytes` of room around it (log-block.ts frameInPlace: no second copy).
 */
export function encodeUpdateEntry (m: Partial<LogEntry>, headerBytes = 0, trailerBytes = 0): Buffer | undefined {
  if ((m.admin !== null && m.admin !== undefined) || (m.act !== null && m.act !== undefined)) return undefined
  w.reset()
  w.uint64(8, m.position)
  w.string(18, m.recordedAt)
  const u = m.update
  if (u !== null && u !== undefined) {
    const at = w.begin(26)
    logUpdate(u)
    w.end(at)
  }
  return w.finish(headerBytes, trailerBytes)
}

function logUpdate (m: LogUpdate): void {
  w.string(10, m.municipalityCode)
  w.int32(16, m.stream)
  w.uint64(24, m.sequence)
  w.string(34, m.requestId)
  w.bytes(42, m.payloadSha256)
  w.uint32(48, m.payloadLength)
  w.int32(56, m.kind)
  w.int32(64, m.changeReason)
  w.int32(72, m.status)
  w.string(82, m.reasonCode)
  w.string(90, m.field)
  w.uint64(96, m.expectedSequence)
  w.bytes(106, m.keyId)
  w.bytes(114, m.sealedUpdate)
  const e = m.effect
  if (e !== null && e !== undefined) {
    const at = w.begin(122)
    logEffect(e)
    w.end(at)
  }
}

function logEffect (m: LogEffect): void {
  w.bytes(10, m.subject)
  w.bytes(18, m.retiredSubject)
  w.bytes(26, m.kojinToken)
  w.string(34, m.recordMunicipalityCode)
  w.bool(40, m.removed)
  w.bytes(50, m.sealedRecord)
  w.bytes(58, m.contentTag)
  w.repeatedBytes(66, m.searchKeys)
  w.bytes(74, m.person)
}

export function encodeStoredResident (m: Partial<StoredResident>): Buffer {
  w.reset()
  const i = m.identity
  if (i !== null && i !== undefined) {
    const at = w.begin(10)
    identityUpdate(i)
    w.end(at)
  }
  w.string(18, m.municipalityCode)
  w.bool(24, m.removed)
  w.string(34, m.seionKana)
  w.string(42, m.notifiedDate)
  w.bool(48, m.deleted)
  w.bool(56, m.retentionOnly)
  w.uint64(64, m.sequence)
  w.int32(72, m.stream)
  w.string(82, m.operatorId)
  w.string(90, m.terminalId)
  w.string(98, m.timestamp)
  return w.finish()
}

function identityUpdate (m: IdentityUpdate): void {
  w.string(10, m.juminhyoCode)
  w.int32(16, m.changeReason)
  w.string(26, m.changeDate)
  w.string(34, m.nameKanji)
  w.uint32(40, m.nameGaijiCount)
  w.string(50, m.nameKana)
  w.string(58, m.birthDate)
  w.int32(64, m.sex)
  w.string(74, m.address)
  w.uint32(80, m.addressGaijiCount)
  w.string(90, m.kojinBango)
  w.string(98, m.oazaCode)
  w.bool(104, m.gaijiFlag)
  w.uint32(112, m.nameGaijiSerial)
  w.uint32(120, m.addressGaijiSerial)
  w.string(130, m.kyuujiKanji)
  w.uint32(136, m.kyuujiGaijiCount)
  w.string(146, m.kyuujiKana)
  w.uint32(152, m.kyuujiGaijiSerial)
  w.string(162, m.previousJuminhyoCode)
}

export function encodeResidentView (m: Partial<ResidentView>): Buffer {
  w.reset()
  w.bytes(10, m.keyId)
  w.uint64(16, m.position)
  w.string(26, m.municipalityCode)
  w.bool(32, m.removed)
  w.bytes(42, m.kojinToken)
  w.bytes(50, m.sealedRecord)
  w.repeatedBytes(58, m.searchKeys)
  w.bytes(82, m.person)
  w.string(90, m.removedOn)
  w.repeatedBytes(98, m.retiredSubjects)
  return w.finish()
}

export function encodeDedupView (m: Partial<DedupView>): Buffer {
  w.reset()
  w.uint64(8, m.position)
  w.bytes(18, m.entryHash)
  w.int32(24, m.status)
  w.string(34, m.reasonCode)
  w.string(42, m.field)
  return w.finish()
}

export function encodeCountsView (m: Partial<CountsView>): Buffer {
  w.reset()
  w.uint64(8, m.current)
  w.uint64(16, m.accepted)
  w.uint64(24, m.rejected)
  return w.finish()
}
