// The store's hand-written encoders (stored-encode.ts, proto-writer.ts) against protobufjs's generated
// ones, byte for byte: the encoded LogEntry feeds the chain hash, so any difference forks the chain.
// Records vary every field: empty, absent (undefined/null), long (nested lengths over 127 and 16383),
// unicode (kanji, surrogate pairs, lone surrogates, strings either side of protobufjs's 40-unit
// switch), varints at their boundaries, negative enums.
import t from 'tap'
import { messageType } from '../../../proto/src/schema.ts'
import type { DedupView, LogEntry, ResidentView } from '../../../proto/src/types.ts'
import { encodeCountsView, encodeDedupView, encodeResidentView, encodeStoredResident, encodeUpdateEntry } from '../../../server/src/store/stored-encode.ts'
import { decodeStored, encodeStored } from '../../../server/src/store/codec.ts'
import { FRAME_OVERHEAD, frameEntry, frameInPlace } from '../../../server/src/store/log-block.ts'
import { HASH_BYTES } from '../../../server/src/store/layout.ts'
import { rng } from './seeded.ts'
import { bytes, enumValue, flag, list, logUpdate, storedResident, text, uint } from './random-fields.ts'

function protobufjs (name: string, value: unknown): Buffer {
  return Buffer.from(messageType(name).encode(value as never).finish())
}


function residentView (r: () => number): ResidentView {
  return {
    keyId: bytes(r), position: uint(r), municipalityCode: text(r), removed: flag(r), kojinToken: bytes(r), sealedRecord: bytes(r),
    searchKeys: list(r), person: bytes(r), removedOn: text(r), retiredSubjects: list(r)
  } as unknown as ResidentView
}

t.test('StoredResident: the same bytes as protobufjs', async (t) => {
  let differ = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const value = storedResident(rng(seed))
    if (!encodeStoredResident(value).equals(protobufjs('StoredResident', value))) differ++
  }
  t.equal(differ, 0, 'no record of 2,000 encodes differently')
})

t.test('LogEntry of an update: the same bytes as protobufjs', async (t) => {
  let differ = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed)
    const value = { position: uint(r), recordedAt: text(r), update: r() < 0.05 ? null : logUpdate(r), admin: null, act: r() < 0.5 ? undefined : null } as unknown as LogEntry
    if (!(encodeUpdateEntry(value) as Buffer).equals(protobufjs('LogEntry', value))) differ++
  }
  t.equal(differ, 0, 'no entry of 2,000 encodes differently')
})

t.test('ResidentView: the same bytes as protobufjs', async (t) => {
  let differ = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const value = residentView(rng(seed))
    if (!encodeResidentView(value).equals(protobufjs('ResidentView', value))) differ++
  }
  t.equal(differ, 0, 'no view of 2,000 encodes differently')
})

t.test('DedupView and CountsView: the same bytes as protobufjs', async (t) => {
  let differ = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed)
    const dedup = { position: uint(r), entryHash: bytes(r), status: enumValue(r), reasonCode: text(r), field: text(r) } as unknown as DedupView
    if (!encodeDedupView(dedup).equals(protobufjs('DedupView', dedup))) differ++
    const counts = { current: uint(r), accepted: uint(r), rejected: uint(r) }
    if (!encodeCountsView(counts).equals(protobufjs('CountsView', counts))) differ++
  }
  t.equal(differ, 0, 'none of 2,000 of each encodes differently')
  t.same(encodeStored('DedupView', { position: 3, entryHash: Buffer.alloc(32, 7), status: 1, reasonCode: '', field: '' }), protobufjs('DedupView', { position: 3, entryHash: Buffer.alloc(32, 7), status: 1, reasonCode: '', field: '' }), 'the store encodes through it')
})

t.test('a CountsView reads as protobufjs reads it, written by either, or in an order only protobufjs reads', async (t) => {
  const type = messageType('CountsView')
  const reference = (b: Uint8Array): unknown => type.toObject(type.decode(b), { defaults: true, longs: Number })
  let differ = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed)
    const counts = { current: uint(r) ?? 0, accepted: uint(r) ?? 0, rejected: uint(r) ?? 0 }
    for (const b of [encodeCountsView(counts), protobufjs('CountsView', counts), encodeCountsView({})]) {
      if (JSON.stringify(decodeStored('CountsView', b)) !== JSON.stringify(reference(b))) differ++
    }
  }
  t.equal(differ, 0, 'none of 6,000 reads differently')
  // Fields out of order and repeated (the last wins, as protobuf says), and a 64-bit value past 2^53.
  const odd = Buffer.from([24, 5, 8, 1, 16, 2, 8, 3])
  t.same(decodeStored('CountsView', odd), { current: 3, accepted: 2, rejected: 5 })
  const wide = protobufjs('CountsView', { current: 2 ** 60 })
  t.same(decodeStored('CountsView', wide), reference(wide), 'a varint longer than 8 bytes goes to protobufjs')
  t.throws(() => decodeStored('CountsView', Buffer.from([8])), { code: 'KEN_ERR_STORE_CORRUPT' }, 'truncated: corrupt, as before')
  t.throws(() => decodeStored('CountsView', Buffer.from([8, 0x80])), { code: 'KEN_ERR_STORE_CORRUPT' }, 'a varint cut short: corrupt')
})

t.test('every field present and empty, every field absent', async (t) => {
  const empty = { position: 0, recordedAt: '', update: { municipalityCode: '', stream: 0, sequence: 0, requestId: '', payloadSha256: new Uint8Array(0), payloadLength: 0, kind: 0, changeReason: 0, status: 0, reasonCode: '', field: '', expectedSequence: 0, keyId: new Uint8Array(0), sealedUpdate: new Uint8Array(0), effect: { subject: new Uint8Array(0), retiredSubject: new Uint8Array(0), kojinToken: new Uint8Array(0), recordMunicipalityCode: '', removed: false, sealedRecord: new Uint8Array(0), person: new Uint8Array(0), contentTag: new Uint8Array(0), searchKeys: [] } }, admin: null, act: null } as LogEntry
  t.same(encodeUpdateEntry(empty), protobufjs('LogEntry', empty), 'defaults are written, as protobufjs writes them')
  t.ok((encodeUpdateEntry(empty) as Buffer).length > 40, 'the empty fields are in the bytes')
  t.same(encodeUpdateEntry({}), protobufjs('LogEntry', {}))
  t.equal((encodeUpdateEntry({}) as Buffer).length, 0)
  t.same(encodeStoredResident({}), protobufjs('StoredResident', {}))
  t.same(encodeResidentView({}), protobufjs('ResidentView', {}))
})

// planner.ts frameAndApply encodes an update's entry with room for its frame (no second copy):
// the same frame and chain hash as framing the plain encoding (log-block.ts frameEntry).
t.test('LogEntry of an update encoded into its frame: the frame and hash of frameEntry', async (t) => {
  let differ = 0
  for (let seed = 1; seed <= 500; seed++) {
    const r = rng(seed)
    const value = { position: uint(r), recordedAt: text(r), update: r() < 0.05 ? null : logUpdate(r), admin: null, act: null } as unknown as LogEntry
    const prev = Buffer.from(Array.from({ length: HASH_BYTES }, () => Math.floor(r() * 256)))
    const plain = frameEntry(prev, protobufjs('LogEntry', value))
    const room = encodeUpdateEntry(value, FRAME_OVERHEAD, HASH_BYTES) as Buffer
    if (room.length !== plain.frame.length + HASH_BYTES) differ++
    const framed = frameInPlace(prev, room)
    if (!framed.frame.equals(plain.frame) || !framed.hash.equals(plain.hash)) differ++
  }
  t.equal(differ, 0, 'no entry of 500 is framed or hashed differently')
})

t.test('the store encodes through them, and an entry of an act through protobufjs', async (t) => {
  const value = storedResident(rng(7))
  t.same(encodeStored('StoredResident', value), protobufjs('StoredResident', value))
  const act = { position: 9, recordedAt: '2026-11-30T00:00:00.000Z', update: null, admin: null, act: { kind: 'terminal.search', actor: 'OP001', subjects: [Buffer.alloc(32, 1)] } } as unknown as LogEntry
  t.equal(encodeUpdateEntry(act), undefined, 'not an update: left to protobufjs')
  t.same(encodeStored('LogEntry', act), protobufjs('LogEntry', act))
})

t.test('the scratch buffer: a result is a copy, not a view that the next encode overwrites', async (t) => {
  const a = encodeResidentView({ keyId: Buffer.alloc(16, 1), municipalityCode: '401005' })
  const copy = Buffer.from(a)
  encodeResidentView({ keyId: Buffer.alloc(16, 2), municipalityCode: '401307' })
  t.same(a, copy)
})
