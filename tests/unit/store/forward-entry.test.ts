// The outbox's reading of log entries and of their sealed StoredResident (forward-entry.ts
// decodeForwardEntry, the record's items as forward-items.ts encodes them) against protobufjs's: the same fields (the update only for an ACCEPTED 本人確認情報 or 附票 one), for
// LogEntries whose every field varies (random-fields.ts); malformed bytes refused as
// KEN_ERR_STORE_CORRUPT wherever protobufjs refuses them. Every kind of entry a store writes:
// outbox-entries.test.ts.
import t from 'tap'
import { messageType } from '../../../proto/src/schema.ts'
import { LogUpdateKind, ResultStatus, type IdentityUpdate, type LogEntry } from '../../../proto/src/types.ts'
import { decodeForwardEntry, type ForwardIdentity } from '../../../server/src/store/forward-entry.ts'
import { encodeForwardIdentity } from '../../../server/src/store/forward-items.ts'

/** The items as the outbox reads them from a record: located, encoded as the frame carries them, read back. */
const decodeForwardIdentity = (bytes: Buffer): ForwardIdentity | null => encodeForwardIdentity(bytes)?.items() ?? null
import { expected, read } from './forward-fields.ts'
import { decodeStoredMessage } from '../../../server/src/store/codec.ts'
import { rng } from './seeded.ts'
import { logUpdate, storedResident, text, uint } from './random-fields.ts'

function corrupt (fn: () => unknown): boolean {
  try {
    fn()
    return false
  } catch (err) {
    if ((err as { code?: string }).code === 'KEN_ERR_STORE_CORRUPT') return true
    throw err
  }
}

t.test('random LogEntries read as protobufjs reads them', async (t) => {
  let differ = 0
  let forwards = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed)
    const update = r() < 0.05 ? null : logUpdate(r)
    // Kinds and statuses mostly of forwards, the rest anything (negative ones too).
    if (update !== null && r() < 0.7) Object.assign(update, { status: ResultStatus.ACCEPTED, kind: r() < 0.5 ? LogUpdateKind.IDENTITY : LogUpdateKind.FUHYO })
    const pick = r()
    const value = { position: uint(r), recordedAt: text(r), update, admin: pick < 0.05 ? { kind: 1 } : null, act: null } as unknown as LogEntry
    const bytes = Buffer.from(messageType('LogEntry').encode(value as never).finish())
    const theirs = expected(decodeStoredMessage('LogEntry', bytes))
    const ours = read(decodeForwardEntry(bytes))
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) differ++
    if ((theirs as { update: unknown }).update !== null) forwards++
  }
  t.equal(differ, 0, 'no entry of 2,000 reads differently')
  t.ok(forwards > 800, `${forwards} of them forwards`)
})

t.test('fields repeated, out of order, unknown: as protobufjs (the last one wins)', async (t) => {
  const update = (muni: string, status: number): Buffer => Buffer.from(messageType('LogUpdate').encode({ municipalityCode: muni, status, kind: 1, keyId: Buffer.alloc(16, 3) } as never).finish())
  const field = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag, body.length]), body])
  const unknown = Buffer.from([0xf8, 0x07, 0x96, 0x01, 0xf1, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, 0xf5, 0x07, 1, 2, 3, 4, 0xfa, 0x07, 2, 9, 9])
  const cases = [
    Buffer.concat([field(26, update('401307', 1)), Buffer.from([8, 5]), field(18, Buffer.from('2026-11-30T00:00:00Z'))]),
    Buffer.concat([field(26, update('401307', 1)), field(26, update('401005', 2))]),
    Buffer.concat([field(26, update('401307', 2)), unknown, field(26, update('401005', 1)), unknown]),
    Buffer.concat([field(26, Buffer.concat([update('401307', 1), unknown, Buffer.from([0x48, 0x02])]))]),
    Buffer.concat([field(26, Buffer.concat([update('401307', 1), Buffer.from([0x48, 0xff, 0xff, 0xff, 0xff, 0x0f])]))]),
    Buffer.concat([field(26, Buffer.concat([update('401307', 1), Buffer.from([0x48, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])]))])
  ]
  for (const [i, bytes] of cases.entries()) t.same(read(decodeForwardEntry(bytes)), expected(decodeStoredMessage('LogEntry', bytes)), `case ${i + 1}`)
})

t.test('malformed bytes: refused wherever protobufjs refuses them, and read alike where both read them', async (t) => {
  const value = { position: 7, recordedAt: '2026-11-30T00:00:00Z', update: logUpdate(rng(3)), admin: null, act: null }
  Object.assign(value.update, { status: ResultStatus.ACCEPTED, kind: LogUpdateKind.IDENTITY })
  const whole = Buffer.from(messageType('LogEntry').encode(value as never).finish())
  let refused = 0
  for (let length = 0; length < whole.length; length++) {
    const cut = whole.subarray(0, length)
    const theirs = corrupt(() => decodeStoredMessage('LogEntry', cut))
    const ours = corrupt(() => decodeForwardEntry(cut))
    if (theirs) refused++
    // Ours is stricter in one place: a string that runs past its message (protobufjs's Node reader cuts it short).
    if (theirs && !ours) t.fail(`cut at ${length}: read, where protobufjs refuses it`)
    if (!theirs && !ours && JSON.stringify(read(decodeForwardEntry(cut))) !== JSON.stringify(expected(decodeStoredMessage('LogEntry', cut)))) t.fail(`cut at ${length}: read otherwise`)
  }
  t.ok(refused > 0, `${refused} of ${whole.length} cuts refused by both`)
  t.ok(corrupt(() => decodeForwardEntry(Buffer.from([0x0b, 0x00]))), 'a group (wire type 3) is refused')
})

/** The items a forward carries of an IdentityUpdate (outbox-reader.ts forwardOf). */
function forwarded (i: IdentityUpdate | ForwardIdentity | null | undefined): unknown {
  if (i === null || i === undefined) return null
  return [i.juminhyoCode, i.changeReason, i.changeDate, i.nameKanji, i.nameKana, i.birthDate, i.sex, i.address, i.kojinBango, i.kyuujiKanji, i.kyuujiKana, i.previousJuminhyoCode]
}

t.test('random StoredResidents: the forwarded items read as protobufjs reads them', async (t) => {
  let differ = 0
  let withIdentity = 0
  for (let seed = 1; seed <= 2000; seed++) {
    const bytes = Buffer.from(messageType('StoredResident').encode(storedResident(rng(seed)) as never).finish())
    const theirs = forwarded(decodeStoredMessage('StoredResident', bytes).identity)
    if (JSON.stringify(forwarded(decodeForwardIdentity(bytes))) !== JSON.stringify(theirs)) differ++
    if (theirs !== null) withIdentity++
  }
  t.equal(differ, 0, 'no record of 2,000 reads differently')
  t.ok(withIdentity > 1500, `${withIdentity} of them with their items`)
  const twice = Buffer.concat([0, 1].map((seed) => Buffer.from(messageType('StoredResident').encode(storedResident(rng(seed + 10)) as never).finish())))
  t.same(forwarded(decodeForwardIdentity(twice)), forwarded(decodeStoredMessage('StoredResident', twice).identity), 'a record twice over: the last identity wins')
})

t.test('a malformed StoredResident: refused wherever protobufjs refuses it', async (t) => {
  const whole = Buffer.from(messageType('StoredResident').encode(storedResident(rng(5)) as never).finish())
  let refused = 0
  for (let length = 0; length < whole.length; length += 3) {
    const cut = whole.subarray(0, length)
    const theirs = corrupt(() => decodeStoredMessage('StoredResident', cut))
    const ours = corrupt(() => decodeForwardIdentity(cut))
    if (theirs) refused++
    if (theirs && !ours) t.fail(`cut at ${length}: read, where protobufjs refuses it`)
    if (!theirs && !ours && JSON.stringify(forwarded(decodeForwardIdentity(cut))) !== JSON.stringify(forwarded(decodeStoredMessage('StoredResident', cut).identity))) t.fail(`cut at ${length}: read otherwise`)
  }
  t.ok(refused > 0, `${refused} cuts refused by both`)
})
