// The outbox's frames, byte for byte, for a known log (issue 18 moved the read path off protobufjs's
// objects: store.ts loadDataKeys / openForward, outbox-encode.ts). What a session sends must equal
// the OutboxMessage built here from the appended items alone, every field set, through the wire
// codec's verifying encoder (codec.ts encode): a forward that lost a field (say, a default left on
// a decoded message's prototype, which protobufjs would then not write) or changed one fails here.
// Also: a data key loaded for a read and erased before the read opens with it is refused (SPEC §2.5).
import t from 'tap'
import path from 'node:path'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { OutboxSession } from '../../../server/src/store/outbox-session.ts'
import { encodeOutboxFrame } from '../../../server/src/store/outbox-encode.ts'
import { SILENT_LOGGER, type LogRecord } from '../../../server/src/store/store-types.ts'
import type { ForwardRecord } from '../../../server/src/store/forward-entry.ts'
import { EncodedIdentity } from '../../../server/src/store/forward-items.ts'
import { encode } from '../../../proto/src/codec.ts'
import { encodeFrame } from '../../../proto/src/framing.ts'
import { ChangeReason, type IdentityUpdate, type OutboxItem } from '../../../proto/src/types.ts'
import { Cs, FUKUOKA, KITAKYUSHU, TEST_APPLIANCE_KEY, fuhyo, item, person, preRejected, tempDir } from './helpers.ts'

function identityForward (r: LogRecord, municipalityCode: string, previousPosition: number, i: IdentityUpdate): OutboxItem {
  return {
    recordedAt: r.entry.recordedAt,
    identity: {
      logPosition: r.position,
      entryHash: r.hash,
      prefectureCode: municipalityCode.slice(0, 2),
      municipalityCode,
      juminhyoCode: i.juminhyoCode,
      nameKanji: i.nameKanji,
      nameKana: i.nameKana,
      birthDate: i.birthDate,
      sex: i.sex,
      address: i.address,
      kojinBango: i.kojinBango,
      changeReason: i.changeReason,
      changeDate: i.changeDate,
      kyuujiKanji: i.kyuujiKanji,
      kyuujiKana: i.kyuujiKana,
      previousJuminhyoCode: i.previousJuminhyoCode,
      previousPosition
    }
  }
}

t.test('a session sends, for a known log, exactly the OutboxMessage built from the appended items', async (t) => {
  const location = path.join(tempDir(t), 'db')
  let store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const fukuoka = new Cs(FUKUOKA)
  const kitakyushu = new Cs(KITAKYUSHU)
  const first = person(1)
  // Every default left at its default (empty 旧氏), and one with all of them set.
  const second = person(2, { kyuujiKanji: '髙橋', kyuujiKana: 'タカハシ', changeReason: ChangeReason.TENNYU, changeDate: '2024-02-29' })
  const moved = person(1, { address: '福岡県福岡市中央区天神1丁目1番1号𠮷', changeReason: ChangeReason.TENKYO, changeDate: '2025-05-05' })
  const attached = fuhyo(3, KITAKYUSHU, { gaijiFlag: true, gaijiPattern: 'A1' })
  await store.append([
    item(fukuoka.identity(first)),
    preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED', { field: 'birth_date' }),
    item(kitakyushu.fuhyo(attached)),
    item(fukuoka.identity(second)),
    item(fukuoka.identity(moved)) // the same person again: one key for two forwards of one read
  ])
  const head = store.head().position
  const records: LogRecord[] = []
  for await (const r of store.entries(1, head)) records.push(r)
  const at = (position: number): LogRecord => records.find((r) => r.position === position) as LogRecord
  const items: OutboxItem[] = [
    identityForward(at(1), FUKUOKA, 0, first),
    {
      recordedAt: at(3).entry.recordedAt,
      fuhyo: { logPosition: 3, entryHash: at(3).hash, prefectureCode: '40', municipalityCode: KITAKYUSHU, previousPosition: 1, fuhyo: attached }
    },
    identityForward(at(4), FUKUOKA, 3, second),
    identityForward(at(5), FUKUOKA, 4, moved)
  ]
  for (const maxItems of [4096, 2]) {
    // A cold keyring each time: the keys are read with the batch.
    await store.close()
    store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
    await store.open()
    const session = new OutboxSession(store, SILENT_LOGGER, () => true)
    const frames: Buffer[] = []
    let batch = await session.read({ fromPosition: 0, maxItems, waitMs: 0 })
    frames.push(encodeOutboxFrame({ batch }))
    while (batch.scannedTo < head) {
      batch = await session.read({ fromPosition: batch.scannedTo + 1, maxItems, waitMs: 0 })
      frames.push(encodeOutboxFrame({ batch }))
    }
    const expected: Buffer[] = []
    if (maxItems === 4096) {
      expected.push(encodeFrame(encode('OutboxMessage', { batch: { items, scannedTo: head, head, confirmed: 0, errorCode: '' } })))
    } else {
      expected.push(encodeFrame(encode('OutboxMessage', { batch: { items: items.slice(0, 2), scannedTo: 3, head, confirmed: 0, errorCode: '' } })))
      expected.push(encodeFrame(encode('OutboxMessage', { batch: { items: items.slice(2, 4), scannedTo: head, head, confirmed: 0, errorCode: '' } })))
    }
    t.same(frames.map((f) => f.toString('hex')), expected.map((f) => f.toString('hex')), `frames byte-identical, ${maxItems} forwards per read at most`)
  }
})

t.test('a data key loaded for a read and erased before the read opens with it is refused', async (t) => {
  const store = new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const cs = new Cs(FUKUOKA)
  await store.append([item(cs.identity(person(1))), item(cs.identity(person(2))), preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED', { field: 'sex' })])
  const records: ForwardRecord[] = []
  for await (const block of store.forwardEntries(1, 3)) records.push(...block)
  const keys = await store.loadDataKeys(records)
  t.equal(keys.length, 3, 'one per record')
  t.ok(keys[0] !== undefined && keys[1] !== undefined, 'the keys of both residents')
  t.equal(keys[2], undefined, 'none for a refusal')
  t.not(keys[0]?.toString('hex'), keys[1]?.toString('hex'), 'each resident its own key')
  const p = person(2)
  const forwarded = { juminhyoCode: p.juminhyoCode, changeReason: p.changeReason, changeDate: p.changeDate, nameKanji: p.nameKanji, nameKana: p.nameKana, birthDate: p.birthDate, sex: p.sex, address: p.address, kojinBango: p.kojinBango, kyuujiKanji: p.kyuujiKanji, kyuujiKana: p.kyuujiKana, previousJuminhyoCode: p.previousJuminhyoCode }
  const opened = await store.openForward(records[1] as ForwardRecord, keys[1])
  t.ok(opened?.identity instanceof EncodedIdentity, 'the items kept encoded, as the frame carries them')
  t.same({ ...opened, identity: (opened?.identity as EncodedIdentity).items() }, { identity: forwarded, fuhyo: null }, 'opens with the key it was given: the items a forward carries')
  const keyId = await store.keyIdOf(person(1).juminhyoCode)
  if (keyId === undefined) throw new Error('no key id')
  await store.eraseResidentKey(keyId, { actor: 'admin01', approver: 'secoff01', note: 'outbox test' })
  await t.rejects(store.openForward(records[0] as ForwardRecord, keys[0]), { code: 'KEN_ERR_STORE_KEY_ERASED' }, 'refused with the key loaded before the erasure')
  t.same(await store.loadDataKeys(records.slice(0, 1)), [undefined], 'and not loaded again')
  await t.rejects(store.openForward(records[0] as ForwardRecord, undefined), { code: 'KEN_ERR_STORE_KEY_ERASED' }, 'nor read now')
  t.same(((await store.openForward(records[1] as ForwardRecord, keys[1]))?.identity as EncodedIdentity).items().juminhyoCode, person(2).juminhyoCode, 'the other resident still opens')
})
