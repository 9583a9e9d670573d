// The outbox's hand-written frame encoder (outbox-encode.ts) against protobufjs's generated encoders
// behind encodeFrame(encodeComplete('OutboxMessage', …)), which is what the socket sent before:
// byte for byte, for batches of 本人確認情報 and 附票 forwards whose every field varies (random-fields.ts),
// batches over 127 and 16,383 bytes, empty batches, refused reads, and the confirms and queries it
// hands to protobufjs.
import t from 'tap'
import { encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame } from '../../../proto/src/framing.ts'
import type { FuhyoUpdate, NationalForward, NationalFuhyoForward, OutboxBatch, OutboxItem, OutboxMessage } from '../../../proto/src/types.ts'
import { encodeOutboxFrame } from '../../../server/src/store/outbox-encode.ts'
import { rng } from './seeded.ts'
import { bytes, enumValue, flag, text, uint } from './random-fields.ts'

function fuhyoUpdate (r: () => number): FuhyoUpdate {
  return {
    juminhyoCode: text(r), nameKanji: text(r), nameGaijiCount: uint(r), nameKana: text(r), birthDate: text(r), sex: enumValue(r),
    addressMunicipalityCode: text(r), address: text(r), addressGaijiCount: uint(r), lastAddress: text(r), lastAddressGaijiCount: uint(r),
    changeDate: text(r), previousJuminhyoCode: text(r), fuhyoMunicipalityCode: text(r), state: enumValue(r), gaijiFlag: flag(r),
    gaijiPattern: text(r), notice: enumValue(r)
  } as unknown as FuhyoUpdate
}

function identityForward (r: () => number): NationalForward {
  return {
    logPosition: uint(r), entryHash: bytes(r), prefectureCode: text(r), municipalityCode: text(r), juminhyoCode: text(r), nameKanji: text(r),
    nameKana: text(r), birthDate: text(r), sex: enumValue(r), address: text(r), kojinBango: text(r), changeReason: enumValue(r),
    changeDate: text(r), kyuujiKanji: text(r), kyuujiKana: text(r), previousJuminhyoCode: text(r), previousPosition: uint(r)
  } as unknown as NationalForward
}

function fuhyoForward (r: () => number): NationalFuhyoForward {
  return {
    logPosition: uint(r), entryHash: bytes(r), prefectureCode: text(r), municipalityCode: text(r), previousPosition: uint(r),
    fuhyo: r() < 0.1 ? null : fuhyoUpdate(r)
  } as unknown as NationalFuhyoForward
}

function outboxItem (r: () => number): OutboxItem {
  const pick = r()
  const recordedAt = text(r) as string
  if (pick < 0.45) return { recordedAt, identity: identityForward(r) }
  if (pick < 0.9) return { recordedAt, fuhyo: fuhyoForward(r) }
  // Both members null, or one of each set (a value no reader builds; protobufjs writes both).
  return pick < 0.95 ? { recordedAt, identity: null, fuhyo: null } : { recordedAt, identity: identityForward(r), fuhyo: fuhyoForward(r) }
}

function batch (r: () => number): OutboxBatch {
  const count = [0, 1, 2, 7, 40][Math.floor(r() * 5)] as number
  return {
    items: Array.from({ length: count }, () => outboxItem(r)), scannedTo: uint(r), head: uint(r), confirmed: uint(r), errorCode: text(r)
  } as unknown as OutboxBatch
}

function protobufjs (message: OutboxMessage): Buffer {
  return encodeFrame(encodeComplete('OutboxMessage', message))
}

t.test('batches: the same frame as protobufjs', async (t) => {
  let differ = 0
  let long = 0
  for (let seed = 1; seed <= 1500; seed++) {
    const message = { batch: batch(rng(seed)) }
    const ours = encodeOutboxFrame(message)
    if (!ours.equals(protobufjs(message))) differ++
    if (ours.length > 16_384) long++
  }
  t.equal(differ, 0, 'no batch of 1,500 encodes differently')
  t.ok(long > 10, 'among them batches whose length takes three bytes')
})

t.test('a batch of 4,096 forwards, as one read gives it, and an empty or refused read', async (t) => {
  const r = rng(7)
  const items = Array.from({ length: 4096 }, () => ({ recordedAt: '2026-11-30T21:00:00.000Z', identity: identityForward(r) }))
  const cases: OutboxMessage[] = [
    { batch: { items, scannedTo: 9000, head: 9100, confirmed: 12, errorCode: '' } },
    { batch: { items: [], scannedTo: 0, head: 5, confirmed: 5, errorCode: '' } },
    { batch: { items: [], scannedTo: 0, head: 5, confirmed: 3, errorCode: 'KEN_ERR_STORE_OUTBOX_POSITION' } }
  ]
  for (const message of cases) t.same(encodeOutboxFrame(message), protobufjs(message), `${message.batch?.items.length ?? 0} forwards`)
})

t.test('confirms and queries go through protobufjs', async (t) => {
  const confirmed: OutboxMessage = { confirmed: { confirmed: 41, actPosition: 42, errorCode: '' } }
  t.same(encodeOutboxFrame(confirmed), protobufjs(confirmed), 'a confirm')
  const both = { batch: { items: [], scannedTo: 1, head: 1, confirmed: 0, errorCode: '' }, confirmed: { confirmed: 1, actPosition: 2, errorCode: '' } }
  t.same(encodeOutboxFrame(both), protobufjs(both), 'a batch beside a confirm (no reader builds one) as protobufjs writes it')
  t.same(encodeOutboxFrame({}), protobufjs({}), 'an empty message')
})
