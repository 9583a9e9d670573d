// The outbox's hand-written frame encoder (outbox-encode.ts) against protobufjs's generated encoders
// behind encodeFrame(encodeComplete('OutboxMessage', …)), which is what the socket sent before:
// byte for byte, for batches of 本人確認情報 and 附票 forwards whose every field varies (random-fields.ts),
// batches over 127 and 16,383 bytes, empty batches, refused reads, and the confirms and queries it
// hands to protobufjs; and batches whose 本人確認情報 forwards carry their items as the bytes written
// when the record was opened (forward-items.ts PassedForward), against protobufjs's frame of the same
// forwards decoded.
import t from 'tap'
import { encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame } from '../../../proto/src/framing.ts'
import type { FuhyoUpdate, IdentityUpdate, NationalForward, NationalFuhyoForward, OutboxBatch, OutboxItem, OutboxMessage } from '../../../proto/src/types.ts'
import { encodeOutboxFrame } from '../../../server/src/store/outbox-encode.ts'
import { rng } from './seeded.ts'
import { bytes, enumValue, flag, identity, text, uint } from './random-fields.ts'
import { messageType } from '../../../proto/src/schema.ts'
import { decodeStoredMessage } from '../../../server/src/store/codec.ts'
import { EncodedIdentity, PassedForward, encodeForwardIdentity } from '../../../server/src/store/forward-items.ts'

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

/**
 * A 本人確認情報 forward as the outbox reader builds it from a record (forward-items.ts PassedForward, its
 * items encoded when the record was opened), and the same forward with the items decoded from the
 * record by protobufjs (as outbox-reader.ts built every forward before).
 */
function passedForward (r: () => number): { passed: PassedForward, plain: NationalForward } {
  const f = identityForward(r)
  const record = Buffer.from(messageType('StoredResident').encode({ identity: identity(r) } as never).finish())
  const passed = new PassedForward(f.logPosition, f.entryHash, f.prefectureCode, f.municipalityCode, f.previousPosition, encodeForwardIdentity(record) as EncodedIdentity)
  const i = decodeStoredMessage('StoredResident', record).identity as IdentityUpdate
  const plain = {
    logPosition: f.logPosition, entryHash: f.entryHash, prefectureCode: f.prefectureCode, municipalityCode: f.municipalityCode,
    juminhyoCode: i.juminhyoCode, nameKanji: i.nameKanji, nameKana: i.nameKana, birthDate: i.birthDate, sex: i.sex, address: i.address,
    kojinBango: i.kojinBango, changeReason: i.changeReason, changeDate: i.changeDate, kyuujiKanji: i.kyuujiKanji, kyuujiKana: i.kyuujiKana,
    previousJuminhyoCode: i.previousJuminhyoCode, previousPosition: f.previousPosition
  }
  return { passed, plain }
}

t.test('forwards whose items pass through as bytes (forward-items.ts): the same frame as protobufjs', async (t) => {
  let differ = 0
  let passedCount = 0
  for (let seed = 1; seed <= 1000; seed++) {
    const r = rng(seed)
    const b = batch(r)
    const plainItems: OutboxItem[] = []
    const items = b.items.map((item) => {
      if (item.identity === null || item.identity === undefined || r() < 0.2) {
        plainItems.push(item)
        return item
      }
      const { passed, plain } = passedForward(r)
      passedCount++
      plainItems.push({ ...item, identity: plain })
      return { ...item, identity: passed }
    })
    if (!encodeOutboxFrame({ batch: { ...b, items } }).equals(protobufjs({ batch: { ...b, items: plainItems } }))) differ++
  }
  t.equal(differ, 0, 'no batch of 1,000 encodes differently')
  t.ok(passedCount > 400, `${passedCount} forwards passed through among them`)
  const r = rng(77)
  const { passed, plain } = passedForward(r)
  const both = { batch: { items: [{ recordedAt: 'x', identity: passed }], scannedTo: 1, head: 1, confirmed: 0, errorCode: '' }, confirmed: { confirmed: 1, actPosition: 2, errorCode: '' } }
  t.same(encodeOutboxFrame(both), protobufjs({ ...both, batch: { ...both.batch, items: [{ recordedAt: 'x', identity: plain }] } }), 'beside a confirm (protobufjs writes it): every item written too')
})
