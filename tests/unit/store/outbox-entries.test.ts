// The outbox reads the log with entries(…, 'message') (protobufjs's decoded messages, no toObject
// copy, issue 18): every field it reads must read as decodeStored's complete objects give it, for
// each kind of entry in the log (本人確認情報, 附票, a gateway refusal, the same person added twice, an act),
// and the forwards must be the same whichever decoding the reader used; forwardEntries reads the same.
import t from 'tap'
import path from 'node:path'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import type { ForwardRecord, LogRecord } from '../../../server/src/store/store.ts'
import { expected, read } from './forward-fields.ts'
import { Cs, FUKUOKA, KITAKYUSHU, TEST_APPLIANCE_KEY, fuhyo, item, person, preRejected, tempDir } from './helpers.ts'

/** What the outbox reader (outbox-reader.ts, store.ts openUpdate and loadDataKeys) reads of a record. */
function readFields (r: LogRecord): unknown {
  const u = r.entry.update
  const hex = (b: Uint8Array | undefined): string | undefined => b === undefined ? undefined : Buffer.from(b).toString('hex')
  return {
    position: r.position,
    hash: hex(r.hash),
    recordedAt: r.entry.recordedAt,
    update: u === null || u === undefined
      ? null
      : {
          municipalityCode: u.municipalityCode, stream: u.stream, sequence: u.sequence, requestId: u.requestId, status: u.status, kind: u.kind,
          keyId: hex(u.keyId), keyIdLength: u.keyId.length, sealedUpdate: hex(u.sealedUpdate), sealedUpdateLength: u.sealedUpdate.length,
          sealedRecord: hex(u.effect?.sealedRecord ?? undefined)
        }
  }
}

t.test('entries decoded as messages read like complete objects, and open to the same updates', async (t) => {
  const store = new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => { await store.close() })
  const fukuoka = new Cs(FUKUOKA)
  const kitakyushu = new Cs(KITAKYUSHU)
  await store.append([
    item(fukuoka.identity(person(1))),
    item(kitakyushu.fuhyo(fuhyo(2, KITAKYUSHU))),
    preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED', { field: 'birth_date' }),
    item(fukuoka.identity(person(1))) // the same person again, under the next 更新順番号
  ])
  await store.recordAct({ kind: 'national.forward', actor: 'ken-national', terminal: 'test', fromPosition: 1, toPosition: 2, count: 2 })
  const head = store.head().position
  const objects: LogRecord[] = []
  const messages: LogRecord[] = []
  for await (const r of store.entries(1, head)) objects.push(r)
  for await (const r of store.entries(1, head, 'message')) messages.push(r)
  t.equal(messages.length, objects.length)
  t.ok(objects.length >= 5, 'every entry read')
  t.same(messages.map(readFields), objects.map(readFields))
  t.ok(objects.some((r) => r.entry.update === null || r.entry.update === undefined), 'an entry without an update is among them')
  for (let i = 0; i < objects.length; i++) {
    const a = objects[i] as LogRecord
    const b = messages[i] as LogRecord
    t.same(await store.openUpdate(b), await store.openUpdate(a), `entry ${a.position} opens alike`)
  }
  // The outbox reads with forwardEntries (forward-entry.ts): the same entries, the update of forwards only.
  const forwards: ForwardRecord[] = []
  for await (const block of store.forwardEntries(1, head)) forwards.push(...block)
  t.same(forwards.map((r) => r.position), objects.map((r) => r.position), 'forwardEntries: every entry, in order')
  t.same(forwards.map((r) => read(r.entry)), objects.map((r) => expected(r.entry)), 'forwardEntries: the same fields')
  t.same(forwards.filter((r) => r.entry.update !== null).map((r) => r.hash), objects.filter((r, i) => forwards[i]?.entry.update !== null).map((r) => r.hash), 'forwardEntries: the chain hash of each forward')
  t.ok(forwards.filter((r) => r.entry.update !== null).length >= 2, 'a 本人確認情報 and a 附票 forward among them')
})
