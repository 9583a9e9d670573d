/**
 * Encoding of log entries, view values and sealed records with the ken.v1 schema (log.proto), and
 * the mapping between the domain's records (server/src/domain/records.ts) and their stored form.
 * Anything read back that does not decode is KEN_ERR_STORE_CORRUPT: the store only reads what it wrote.
 */
import type protobuf from 'protobufjs'
import { messageType } from '../../../proto/src/schema.ts'
import type { CountsView, DedupView, FuhyoUpdate, LogEntry, MessageMap, ResidentView, StoredFuhyo, StoredResident } from '../../../proto/src/types.ts'
import { encodeCountsView, encodeDedupView, encodeResidentView, encodeStoredResident, encodeUpdateEntry } from './stored-encode.ts'
import type { FuhyoRecord, ResidentRecord } from '../domain/records.ts'
import { errors } from './errors.ts'

/** The at-rest messages of log.proto. */
export type StoredMessage = 'LogEntry' | 'ResidentView' | 'HistoryView' | 'FuhyoView' | 'DedupView' | 'CountsView' | 'StoredResident' | 'StoredFuhyo' | 'Update'


/** As proto/src/codec.ts decodes: every field present, enums and 64-bit integers as numbers. */
const TO_OBJECT: protobuf.IConversionOptions = { defaults: true, arrays: true, longs: Number, enums: Number, oneofs: false }

/**
 * Encode a value the store made. Unlike the wire codec this skips protobufjs's verify/fromObject
 * pass: the values are built by this package with the right types, and this is the hot path.
 */
export function encodeStored<N extends StoredMessage> (name: N, value: Partial<MessageMap[N]>): Buffer {
  // The three encoded for every accepted update, by hand (stored-encode.ts: the same bytes).
  if (name === 'LogEntry') {
    const entry = encodeUpdateEntry(value as Partial<LogEntry>)
    if (entry !== undefined) return entry
  } else if (name === 'StoredResident') {
    return encodeStoredResident(value as Partial<StoredResident>)
  } else if (name === 'ResidentView') {
    return encodeResidentView(value as Partial<ResidentView>)
  } else if (name === 'DedupView') {
    return encodeDedupView(value as Partial<DedupView>)
  } else if (name === 'CountsView') {
    return encodeCountsView(value as Partial<CountsView>)
  }
  const bytes = messageType(name).encode(value).finish()
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/**
 * Decode a value the store wrote. Its integrity is the chain's and the seal's business (verify,
 * AES-GCM), so the wire codec's fail-closed walk for untrusted input is not repeated here.
 * @throws KEN_ERR_STORE_CORRUPT
 */
export function decodeStored<N extends StoredMessage> (name: N, bytes: Uint8Array): MessageMap[N] {
  if (name === 'CountsView') {
    // Read and rewritten by every entry (apply-entry.ts CountDeltas): three varints, read here.
    const counts = countsView(bytes)
    if (counts !== undefined) return counts as MessageMap[N]
  }
  return messageType(name).toObject(decodeStoredMessage(name, bytes) as never, TO_OBJECT) as MessageMap[N]
}

/**
 * Decode a value the store wrote into protobufjs's message itself, without decodeStored's
 * `toObject` copy: set fields are its own, unset scalars read their proto3 default from its
 * prototype, an unset message reads null (proto/src/codec.ts decodeMessage). Only for readers that
 * read fields and pass none of the object on to be encoded or compared whole (the outbox, issue 18).
 * @throws KEN_ERR_STORE_CORRUPT
 */
export function decodeStoredMessage<N extends StoredMessage> (name: N, bytes: Uint8Array): MessageMap[N] {
  try {
    return messageType(name).decode(bytes) as unknown as MessageMap[N]
  } catch (err) {
    throw errors.KEN_ERR_STORE_CORRUPT(`${name} does not decode`, { cause: err })
  }
}

/**
 * A CountsView as encodeCountsView writes it (fields 1–3, varints of at most 2^53), or undefined for
 * anything else, which protobufjs then reads (or refuses as corrupt).
 */
function countsView (bytes: Uint8Array): CountsView | undefined {
  const out = { current: 0, accepted: 0, rejected: 0 }
  let at = 0
  while (at < bytes.length) {
    const tag = bytes[at++]
    let value = 0
    let scale = 1
    for (let i = 0; ; i++) {
      if (at >= bytes.length || i >= 8) return undefined
      const byte = bytes[at++] as number
      value += (byte & 0x7f) * scale
      scale *= 128
      if ((byte & 0x80) === 0) break
    }
    if (tag === 8) out.current = value
    else if (tag === 16) out.accepted = value
    else if (tag === 24) out.rejected = value
    else return undefined
  }
  return out
}

/** ResidentRecord → the plaintext that is sealed (every item of 別添2 plus status). */
export function storedResident (r: ResidentRecord): StoredResident {
  return {
    identity: {
      juminhyoCode: r.juminhyoCode,
      changeReason: r.changeReason,
      changeDate: r.changeDate,
      nameKanji: r.nameKanji,
      nameGaijiCount: r.nameGaijiCount,
      nameKana: r.nameKana,
      birthDate: r.birthDate,
      sex: r.sex,
      address: r.address,
      addressGaijiCount: r.addressGaijiCount,
      kojinBango: r.kojinBango,
      oazaCode: r.oazaCode,
      gaijiFlag: r.gaijiFlag,
      nameGaijiSerial: r.nameGaijiSerial,
      addressGaijiSerial: r.addressGaijiSerial,
      kyuujiKanji: r.kyuujiKanji,
      kyuujiGaijiCount: r.kyuujiGaijiCount,
      kyuujiKana: r.kyuujiKana,
      kyuujiGaijiSerial: r.kyuujiGaijiSerial,
      previousJuminhyoCode: ''
    },
    municipalityCode: r.municipalityCode,
    removed: r.status === 'removed',
    seionKana: r.seionKana,
    notifiedDate: r.notifiedDate,
    deleted: r.deleted,
    retentionOnly: r.retentionOnly,
    sequence: r.sequence,
    stream: r.stream,
    operatorId: r.operatorId,
    terminalId: r.terminalId,
    timestamp: r.timestamp
  }
}

/** The stored plaintext → ResidentRecord. @throws KEN_ERR_STORE_CORRUPT without the identity items */
export function residentRecord (s: StoredResident): ResidentRecord {
  const i = s.identity
  if (i === undefined || i === null) throw errors.KEN_ERR_STORE_CORRUPT('StoredResident without identity')
  // Field by field: a rest-spread of a decoded message costs more than the whole decode.
  return {
    juminhyoCode: i.juminhyoCode,
    changeReason: i.changeReason,
    changeDate: i.changeDate,
    nameKanji: i.nameKanji,
    nameGaijiCount: i.nameGaijiCount,
    nameKana: i.nameKana,
    birthDate: i.birthDate,
    sex: i.sex,
    address: i.address,
    addressGaijiCount: i.addressGaijiCount,
    kojinBango: i.kojinBango,
    oazaCode: i.oazaCode,
    gaijiFlag: i.gaijiFlag,
    nameGaijiSerial: i.nameGaijiSerial,
    addressGaijiSerial: i.addressGaijiSerial,
    kyuujiKanji: i.kyuujiKanji,
    kyuujiGaijiCount: i.kyuujiGaijiCount,
    kyuujiKana: i.kyuujiKana,
    kyuujiGaijiSerial: i.kyuujiGaijiSerial,
    municipalityCode: s.municipalityCode,
    status: s.removed ? 'removed' : 'current',
    seionKana: s.seionKana,
    notifiedDate: s.notifiedDate,
    deleted: s.deleted,
    retentionOnly: s.retentionOnly,
    sequence: s.sequence,
    stream: s.stream,
    operatorId: s.operatorId,
    terminalId: s.terminalId,
    timestamp: s.timestamp
  }
}

/** FuhyoRecord → the plaintext that is sealed (18 items, never 個人番号: FuhyoUpdate has no such field). */
export function storedFuhyo (r: FuhyoRecord): StoredFuhyo {
  return { fuhyo: fuhyoItems(r), municipalityCode: r.municipalityCode, notifiedDate: r.notifiedDate, sequence: r.sequence, stream: r.stream }
}

/** The stored plaintext → FuhyoRecord. @throws KEN_ERR_STORE_CORRUPT without the 附票 items */
export function fuhyoRecord (s: StoredFuhyo): FuhyoRecord {
  if (s.fuhyo === undefined || s.fuhyo === null) throw errors.KEN_ERR_STORE_CORRUPT('StoredFuhyo without items')
  return { ...fuhyoItems(s.fuhyo), municipalityCode: s.municipalityCode, notifiedDate: s.notifiedDate, sequence: s.sequence, stream: s.stream }
}

/** The 18 items of SPEC §2.2, named one by one so that nothing else is ever copied in. */
function fuhyoItems (f: FuhyoUpdate): FuhyoUpdate {
  return {
    juminhyoCode: f.juminhyoCode,
    nameKanji: f.nameKanji,
    nameGaijiCount: f.nameGaijiCount,
    nameKana: f.nameKana,
    birthDate: f.birthDate,
    sex: f.sex,
    addressMunicipalityCode: f.addressMunicipalityCode,
    address: f.address,
    addressGaijiCount: f.addressGaijiCount,
    lastAddress: f.lastAddress,
    lastAddressGaijiCount: f.lastAddressGaijiCount,
    changeDate: f.changeDate,
    previousJuminhyoCode: f.previousJuminhyoCode,
    fuhyoMunicipalityCode: f.fuhyoMunicipalityCode,
    state: f.state,
    gaijiFlag: f.gaijiFlag,
    gaijiPattern: f.gaijiPattern,
    notice: f.notice
  }
}
