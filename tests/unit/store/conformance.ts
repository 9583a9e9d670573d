/**
 * The store's conformance suite (STYLE.md, abstract-level): docs/store-contract.md as tests, run
 * against every implementation — `conformance(t, makeStore)`. Assertions are on codes and on what
 * the log and views hold, never on message text.
 */
import type { Test } from 'tap'
import { ChangeReason, FuhyoNotice, LogAdminKind, LogUpdateKind, ResultStatus, Stream, type AppendItem, type UpdateResult } from '../../../proto/src/types.ts'
import type { Store } from '../../../server/src/store/store.ts'
import { VIEW_SPACES } from '../../../server/src/store/layout.ts'
import { Cs, FUKUOKA, KITAKYUSHU, fuhyo, item, juminhyoCode, kojinBango, person, preRejected } from './helpers.ts'

/** Makes a fresh, unopened store for one subtest. */
export type MakeStore = (t: Test) => Store | Promise<Store>

const ADMIN = { actor: 'admin01', approver: 'secoff01', note: 'retention 150y (test)' }
const TENJIN = '福岡県福岡市中央区天神一丁目1番1号'

async function open (t: Test, make: MakeStore): Promise<Store> {
  const store = await make(t)
  await store.open()
  t.teardown(async () => await store.close())
  return store
}

async function one (store: Store, it: AppendItem): Promise<UpdateResult> {
  const [result] = await store.append([it])
  if (result === undefined) throw new Error('no result')
  return result
}

/** Every view's keys and values, hex, in order: what "byte-identical" compares. */
export async function viewSnapshot (store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const space of VIEW_SPACES) {
    const rows: string[] = []
    for await (const [key, value] of store.scanView(space)) rows.push(`${key.toString('hex')}=${value.toString('hex')}`)
    out[space] = rows
  }
  return out
}

export function conformance (t: Test, make: MakeStore): void {
  t.test('an accepted 出生 is in the current view, the 個人番号 index, the counts and the log', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    const r = await one(store, item(cs.identity(person(1))))
    t.equal(r.status, ResultStatus.ACCEPTED)
    t.equal(r.reasonCode, '')
    t.equal(r.logPosition, 1)
    t.equal(r.entryHash.length, 32)
    t.equal(r.expectedSequence, 0)
    t.equal(r.sequence, 1)
    t.equal(r.municipalityCode, FUKUOKA)
    const current = await store.getCurrent(juminhyoCode(1))
    t.equal(current?.nameKanji, person(1).nameKanji)
    t.equal(current?.status, 'current')
    t.equal(current?.municipalityCode, FUKUOKA)
    t.ok((current?.seionKana.length ?? 0) > 0, 'the server derives 清音化かな氏名')
    t.equal(await store.findByKojinBango(kojinBango(1)), juminhyoCode(1))
    t.equal(await store.findByKojinBango(kojinBango(2)), undefined)
    t.same(await store.counts(FUKUOKA), { current: 1, accepted: 1, rejected: 0 })
    t.same(await store.counts(KITAKYUSHU), { current: 0, accepted: 0, rejected: 0 })
    t.same(await store.getHistory(juminhyoCode(1)), [])
    t.equal(store.head().position, 1)
    t.same(store.head().hash, Buffer.from(r.entryHash))
    const entries = []
    for await (const e of store.entries()) entries.push(e)
    t.equal(entries.length, 1)
    t.equal(entries[0]?.entry.update?.status, ResultStatus.ACCEPTED)
    t.equal(entries[0]?.entry.update?.kind, LogUpdateKind.IDENTITY)
    t.equal(entries[0]?.entry.update?.changeReason, ChangeReason.SHUSSEI)
    const update = entries[0] === undefined ? undefined : await store.openUpdate(entries[0])
    t.equal(update?.identity?.kojinBango, kojinBango(1), 'the entry holds the update as received, sealed')
  })

  t.test('a 転居 moves the record to history and changes only the address', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    await one(store, item(cs.identity(person(1))))
    const r = await one(store, item(cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2021-05-01', address: TENJIN }))))
    t.equal(r.status, ResultStatus.ACCEPTED)
    t.equal((await store.getCurrent(juminhyoCode(1)))?.address, TENJIN)
    const history = await store.getHistory(juminhyoCode(1))
    t.equal(history.length, 1)
    t.equal(history[0]?.record.address, person(1).address)
    t.equal(history[0]?.position, 1)
    t.equal(history[0]?.supersededAt, 2)
    t.same(await store.counts(FUKUOKA), { current: 1, accepted: 2, rejected: 0 })
  })

  t.test('a redelivery is answered with the first result and changes nothing', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    const update = cs.identity(person(1))
    const first = await one(store, item(update))
    const before = await viewSnapshot(store)
    const head = store.head()
    const again = await one(store, item(update))
    t.equal(again.status, ResultStatus.DUPLICATE)
    t.equal(again.logPosition, first.logPosition)
    t.same(Buffer.from(again.entryHash), Buffer.from(first.entryHash))
    t.same(store.head(), head, 'no entry')
    t.same(await viewSnapshot(store), before, 'no view changed')
    // The first result of a rejected update is repeated too, reason and field included.
    const bad = cs.identity(person(1, { changeReason: ChangeReason.SHUSSEI }))
    const rejected = await one(store, item(bad))
    t.equal(rejected.reasonCode, 'KEN_REJECT_ALREADY_RESIDENT')
    const rejectedAgain = await one(store, item(bad))
    t.equal(rejectedAgain.status, ResultStatus.DUPLICATE)
    t.equal(rejectedAgain.reasonCode, 'KEN_REJECT_ALREADY_RESIDENT')
    t.equal(rejectedAgain.field, rejected.field)
    t.equal(rejectedAgain.logPosition, rejected.logPosition)
    // Same number, other stream or other municipality: not a redelivery.
    const abnormal = await one(store, item(new Cs(FUKUOKA).identity(person(2), Stream.ABNORMAL)))
    t.equal(abnormal.status, ResultStatus.ACCEPTED)
    t.equal(abnormal.sequence, 1)
    const other = await one(store, item(new Cs(KITAKYUSHU).identity(person(3))))
    t.equal(other.status, ResultStatus.ACCEPTED)
  })

  t.test('a redelivery inside one request, or pipelined, is answered DUPLICATE too', async (t) => {
    const store = await open(t, make)
    const update = new Cs(FUKUOKA).identity(person(1))
    const [a, b] = await store.append([item(update), item(update)])
    t.equal(a?.status, ResultStatus.ACCEPTED)
    t.equal(b?.status, ResultStatus.DUPLICATE)
    t.equal(b?.logPosition, a?.logPosition)
    const [c, d] = await Promise.all([store.append([item(update)]), store.append([item(update)])])
    t.equal(c?.[0]?.status, ResultStatus.DUPLICATE)
    t.equal(d?.[0]?.status, ResultStatus.DUPLICATE)
    t.equal(store.head().position, 1)
  })

  t.test('gaps are reported with the expected sequence, per stream', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    t.equal((await one(store, item(cs.identity(person(1))))).expectedSequence, 0)
    cs.advance(2) // 2 and 3 lost
    const gap = await one(store, item(cs.identity(person(4))))
    t.equal(gap.sequence, 4)
    t.equal(gap.status, ResultStatus.ACCEPTED, 'a gap does not refuse the update')
    t.equal(gap.expectedSequence, 2)
    t.equal((await one(store, item(cs.identity(person(5))))).expectedSequence, 0)
    // The abnormal stream is numbered on its own: its first update is 1.
    t.equal((await one(store, item(cs.identity(person(6), Stream.ABNORMAL)))).expectedSequence, 0)
    // A late 2 is out of order: the server expected 6.
    const late = new Cs(FUKUOKA)
    late.advance(1)
    const two = await one(store, item(late.identity(person(2))))
    t.equal(two.status, ResultStatus.ACCEPTED)
    t.equal(two.expectedSequence, 6)
  })

  t.test('each logic rejection of SPEC §2.4 is committed as a rejection record with its code', async (t) => {
    const store = await open(t, make)
    const fk = new Cs(FUKUOKA)
    const kk = new Cs(KITAKYUSHU)
    const base = async (cs: Cs, seed: number): Promise<void> => {
      t.equal((await one(store, item(cs.identity(person(seed))))).status, ResultStatus.ACCEPTED)
    }
    await base(fk, 1)
    await base(fk, 2)
    await base(kk, 3)
    const removed = person(4, { changeReason: ChangeReason.SHIBOU, changeDate: '2023-01-01' })
    await base(fk, 4)
    t.equal((await one(store, item(fk.identity(removed)))).status, ResultStatus.ACCEPTED)
    const cases: Array<[string, Cs, ReturnType<typeof person>]> = [
      ['KEN_REJECT_ALREADY_RESIDENT', fk, person(1)],
      ['KEN_REJECT_TENKYO_NON_ADDRESS', fk, person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: TENJIN, nameKanji: '山田次郎' })],
      ['KEN_REJECT_ALREADY_REMOVED', fk, removed],
      ['KEN_REJECT_UNKNOWN_RESIDENT', fk, person(99, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: TENJIN })],
      ['KEN_REJECT_OTHER_MUNICIPALITY', fk, person(3, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: TENJIN })],
      ['KEN_REJECT_NOT_REMOVED', fk, person(1, { changeReason: ChangeReason.SHOJO_KAIFUKU, changeDate: '2022-01-01' })],
      ['KEN_REJECT_REMOVED_RESIDENT', fk, person(4, { changeReason: ChangeReason.TENKYO, changeDate: '2023-02-01', address: TENJIN })],
      ['KEN_REJECT_KOJIN_BANGO_IN_USE', fk, person(5, { kojinBango: kojinBango(2) })],
      ['KEN_REJECT_JUMINHYO_CODE_IN_USE', fk, person(1, { juminhyoCode: juminhyoCode(2), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-01-01', previousJuminhyoCode: juminhyoCode(1) })],
      ['KEN_REJECT_NO_CHANGE', fk, person(1, { changeReason: ChangeReason.SHOKKEN_SHUSEI, changeDate: '2022-01-01' })],
      ['KEN_REJECT_KOJIN_BANGO_MISMATCH', fk, person(1, { changeReason: ChangeReason.SHIMEI_TO_HENKO, changeDate: '2022-01-01', nameKanji: '山田一子', kojinBango: kojinBango(77) })]
    ]
    for (const [code, cs, body] of cases) {
      const before = store.head().position
      const r = await one(store, item(cs.identity(body)))
      t.equal(r.status, ResultStatus.REJECTED, code)
      t.equal(r.reasonCode, code)
      t.not(r.field, '', `${code} names a field`)
      t.equal(r.logPosition, before + 1, `${code} is an entry`)
      let logged
      for await (const e of store.entries(r.logPosition, r.logPosition)) logged = e.entry.update
      t.equal(logged?.status, ResultStatus.REJECTED)
      t.equal(logged?.reasonCode, code)
      t.equal(logged?.field, r.field)
      t.equal(logged?.effect ?? null, null, 'a rejection has no effect on the file')
    }
    t.same(await store.counts(FUKUOKA), { current: 2, accepted: 4, rejected: cases.length })
    t.equal((await store.getCurrent(juminhyoCode(1)))?.nameKanji, person(1).nameKanji, 'rejections changed nothing')
  })

  t.test('a 附票 rejection and the 附票 file, which never holds 個人番号', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    const change = await one(store, item(cs.fuhyo(fuhyo(1, FUKUOKA, { notice: FuhyoNotice.CHANGE }))))
    t.equal(change.reasonCode, 'KEN_REJECT_FUHYO_STATE')
    t.equal((await one(store, item(cs.fuhyo(fuhyo(1, FUKUOKA))))).status, ResultStatus.ACCEPTED)
    const record = await store.getFuhyo(juminhyoCode(1))
    t.equal(record?.nameKanji, person(1).nameKanji)
    t.equal(record?.fuhyoMunicipalityCode, FUKUOKA)
    t.notOk(record !== undefined && 'kojinBango' in record)
    t.equal(await store.getCurrent(juminhyoCode(1)), undefined, 'the 附票 file is its own keyspace')
    t.equal((await one(store, item(cs.fuhyo(fuhyo(1, FUKUOKA))))).reasonCode, 'KEN_REJECT_FUHYO_STATE')
    const moved = await one(store, item(cs.fuhyo(fuhyo(1, FUKUOKA, { notice: FuhyoNotice.CHANGE, address: TENJIN }))))
    t.equal(moved.status, ResultStatus.ACCEPTED)
    t.equal((await store.getFuhyo(juminhyoCode(1)))?.address, TENJIN)
    // The resident who later gets an 本人確認情報 record is one person in both files; each record has its own key.
    const personBefore = await store.personOf(juminhyoCode(1))
    const keyBefore = await store.keyIdOf(juminhyoCode(1))
    await one(store, item(cs.identity(person(1))))
    t.equal(await store.personOf(juminhyoCode(1)), personBefore)
    t.not(await store.keyIdOf(juminhyoCode(1)), keyBefore, 'SPEC §2.5: a key per record')
  })

  t.test('gateway refusals are rejection records; with a known sequence they deduplicate', async (t) => {
    const store = await open(t, make)
    const r1 = await one(store, preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED'))
    const r2 = await one(store, preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED'))
    t.equal(r1.status, ResultStatus.REJECTED)
    t.equal(r1.reasonCode, 'KEN_REJECT_MALFORMED')
    t.equal(r2.logPosition, r1.logPosition + 1, 'an undecodable payload has no sequence to deduplicate by')
    const known = preRejected(FUKUOKA, 'KEN_REJECT_BAD_DATE', { stream: Stream.NORMAL, sequence: 1, field: 'identity.birth_date' })
    const r3 = await one(store, known)
    t.equal(r3.field, 'identity.birth_date')
    t.equal(r3.sequence, 1)
    const r4 = await one(store, known)
    t.equal(r4.status, ResultStatus.DUPLICATE)
    t.equal(r4.reasonCode, 'KEN_REJECT_BAD_DATE')
    t.equal(r4.logPosition, r3.logPosition)
    let kind
    for await (const e of store.entries(r3.logPosition, r3.logPosition)) kind = e.entry.update?.kind
    t.equal(kind, LogUpdateKind.PRE_REJECTED)
    t.same(await store.counts(FUKUOKA), { current: 0, accepted: 0, rejected: 3 })
    // The refused sequence counts for gap reporting: the next update (2) is in order.
    t.equal((await one(store, item(new Cs(FUKUOKA).identity(person(1))))).status, ResultStatus.DUPLICATE, 'sequence 1 was taken by the refusal')
  })

  t.test('住民票コード変更 and 個人番号変更 move the indexes; the person id stays with the person', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    await one(store, item(cs.identity(person(1))))
    const personId = await store.personOf(juminhyoCode(1))
    const p = person(1)
    const [oldNumber] = await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 10)
    const newCode = juminhyoCode(500)
    const changed = await one(store, item(cs.identity(person(1, { juminhyoCode: newCode, changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-01-01', previousJuminhyoCode: juminhyoCode(1) }))))
    t.equal(changed.status, ResultStatus.ACCEPTED)
    t.equal(await store.getCurrent(juminhyoCode(1)), undefined)
    t.equal((await store.getCurrent(newCode))?.juminhyoCode, newCode)
    t.equal(await store.personOf(newCode), personId)
    t.equal(await store.findByKojinBango(kojinBango(1)), newCode)
    // views v5: the search keys name the resident's number, which the code change renewed.
    const hits = await store.searchResidents({ name: p.nameKana, birthDate: p.birthDate }, 10)
    t.same(await Promise.all(hits.map(async (n) => (await store.getCurrentByNumber(n))?.juminhyoCode)), [newCode], 'one search hit, under the new number')
    t.equal(await store.getCurrentByNumber(oldNumber ?? Buffer.alloc(8)), undefined, 'the old number holds no record')
    t.equal((await store.getHistory(juminhyoCode(1)))[0]?.record.juminhyoCode, juminhyoCode(1), 'history stays under the code it had')
    t.same(await store.counts(FUKUOKA), { current: 1, accepted: 2, rejected: 0 })
    const renumbered = await one(store, item(cs.identity(person(1, { juminhyoCode: newCode, changeReason: ChangeReason.KOJIN_BANGO_HENKO, changeDate: '2022-02-01', kojinBango: kojinBango(600) }))))
    t.equal(renumbered.status, ResultStatus.ACCEPTED)
    t.equal(await store.findByKojinBango(kojinBango(600)), newCode)
    t.equal(await store.findByKojinBango(kojinBango(1)), undefined, 'the old number is free')
  })

  t.test('current records are kept by resident number: kept on update, new for a new 住民票コード, found after an erasure', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    const numbers = async (): Promise<{ records: string[], index: string[] }> => {
      const v = await viewSnapshot(store)
      return { records: (v['~current'] ?? []).map((row) => row.split('=')[0] ?? ''), index: (v.subjects ?? []).map((row) => row.split('=')[1] ?? '').sort() }
    }
    const n = (position: number): string => position.toString(16).padStart(16, '0')
    await store.append([item(cs.identity(person(1))), item(cs.identity(person(2)))])
    t.same(await numbers(), { records: [n(1), n(2)], index: [n(1), n(2)] }, 'each new resident under the position of its first entry')
    await one(store, item(cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: TENJIN }))))
    t.same(await numbers(), { records: [n(1), n(2)], index: [n(1), n(2)] }, 'an update overwrites the record in place')
    t.equal((await store.getCurrent(juminhyoCode(1)))?.address, TENJIN)
    const newCode = juminhyoCode(500)
    await one(store, item(cs.identity(person(1, { juminhyoCode: newCode, changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-02-01', previousJuminhyoCode: juminhyoCode(1), address: TENJIN }))))
    t.same(await numbers(), { records: [n(2), n(4)], index: [n(2), n(4)] }, 'a new 住民票コード: a new number, the retired record and its index entry deleted')
    t.equal(await store.getCurrent(juminhyoCode(1)), undefined)
    t.equal((await store.getCurrent(newCode))?.juminhyoCode, newCode)
    t.equal(await store.findByKojinBango(kojinBango(1)), newCode)
    const keyId = await store.keyIdOf(newCode)
    if (keyId === undefined) throw new Error('no key id')
    await store.eraseResidentKey(keyId, ADMIN)
    await t.rejects(store.getCurrent(newCode), { code: 'KEN_ERR_STORE_KEY_ERASED' }, 'found through the index, unreadable')
    t.equal(await store.keyIdOf(newCode), keyId)
    t.equal((await store.getCurrent(juminhyoCode(2)))?.nameKanji, person(2).nameKanji, 'others are untouched')
    t.same(await numbers(), { records: [n(2), n(4)], index: [n(2), n(4)] }, 'an erasure moves no record')
  })

  t.test('every entry gives back the update exactly as received', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    const sent = [
      cs.identity(person(1)),
      cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2021-05-01', address: TENJIN })),
      cs.identity(person(1, { juminhyoCode: juminhyoCode(70), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2022-01-01', previousJuminhyoCode: juminhyoCode(1) })),
      cs.identity(person(2, { changeReason: ChangeReason.TENKYO, changeDate: '2022-01-01', address: TENJIN })),
      cs.fuhyo(fuhyo(3, FUKUOKA))
    ]
    const results = await store.append(sent.map((u) => item(u)))
    t.same(results.map((r) => r.status), [ResultStatus.ACCEPTED, ResultStatus.ACCEPTED, ResultStatus.ACCEPTED, ResultStatus.REJECTED, ResultStatus.ACCEPTED])
    const back = []
    for await (const e of store.entries()) back.push(await store.openUpdate(e))
    t.same(back, sent)
  })

  t.test('転入 before 転出: the record follows the new municipality, counts follow it', async (t) => {
    const store = await open(t, make)
    await one(store, item(new Cs(KITAKYUSHU).identity(person(1))))
    const moved = await one(store, item(new Cs(FUKUOKA).identity(person(1, { changeReason: ChangeReason.TENNYU, changeDate: '2022-04-01', address: TENJIN }))))
    t.equal(moved.status, ResultStatus.ACCEPTED)
    t.same(await store.counts(KITAKYUSHU), { current: 0, accepted: 1, rejected: 0 })
    t.same(await store.counts(FUKUOKA), { current: 1, accepted: 1, rejected: 0 })
    const all = await store.counts()
    t.same([...all.keys()].sort(), [KITAKYUSHU, FUKUOKA].sort())
  })

  t.test('order: a 転居 chain in one request and pipelined requests applies in order', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    await one(store, item(cs.identity(person(1))))
    const addresses = Array.from({ length: 60 }, (_, i) => `福岡県福岡市中央区天神${i + 1}丁目1番1号`)
    const moves = addresses.map((address, i) => item(cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: `2022-01-${String((i % 28) + 1).padStart(2, '0')}`, address }))))
    const inOne = await store.append(moves.slice(0, 20))
    const pipelined = await Promise.all(moves.slice(20).map(async (m) => await store.append([m])))
    const results = [...inOne, ...pipelined.flat()]
    t.same(results.map((r) => r.status), results.map(() => ResultStatus.ACCEPTED), 'each sees the one before (else NO_CHANGE)')
    t.same(results.map((r) => r.logPosition), results.map((_, i) => i + 2))
    t.equal((await store.getCurrent(juminhyoCode(1)))?.address, addresses.at(-1))
    t.same((await store.getHistory(juminhyoCode(1))).map((h) => h.record.address), [person(1).address, ...addresses.slice(0, -1)])
  })

  t.test('malformed items refuse the whole request and commit nothing', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    const good = item(cs.identity(person(1)))
    const cases: AppendItem[] = [
      { ...good, municipalityCode: '40130' },
      { ...good, update: null, rejection: null },
      { ...good, rejection: { reasonCode: 'KEN_REJECT_MALFORMED', field: '', stream: 0, sequence: 0, requestId: '', payloadLength: 0 } },
      { ...good, municipalityCode: KITAKYUSHU },
      { ...good, payloadSha256: new Uint8Array(5) },
      preRejected(FUKUOKA, 'NOT_A_CODE'),
      item({ ...cs.identity(person(2)), sequence: 0 }),
      item({ ...cs.identity(person(2)), identity: null }),
      item(cs.identity(person(2, { kojinBango: '123' })))
    ]
    for (const bad of cases) {
      await t.rejects(store.append([good, bad]), { code: 'KEN_ERR_STORE_INVALID_ITEM' })
    }
    t.equal(store.head().position, 0)
    t.same(await store.counts(), new Map())
  })

  t.test('read arguments are validated', async (t) => {
    const store = await open(t, make)
    await t.rejects(store.getCurrent('123'), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.getHistory('1234567890a'), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.findByKojinBango('12345678901'), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.getFuhyo(''), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.counts('4013'), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(async () => { for await (const _ of store.entries(0)) break }, { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.eraseResidentKey('zz', ADMIN), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.verify({ threads: 0 }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
  })

  t.test('crypto-shredding: erasing a key keeps verify valid and makes the data unreadable', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    await one(store, item(cs.identity(person(1))))
    await one(store, item(cs.identity(person(1, { changeReason: ChangeReason.SHIBOU, changeDate: '2023-01-01' }))))
    await one(store, item(cs.identity(person(2))))
    const keyId = await store.keyIdOf(juminhyoCode(1))
    if (keyId === undefined) throw new Error('no key id')
    await t.rejects(store.eraseResidentKey(keyId, { actor: 'admin01', approver: 'admin01' }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' }, 'a second approver is someone else')
    const erased = await store.eraseResidentKey(keyId, ADMIN)
    t.equal(erased.position, 4)
    let act
    for await (const e of store.entries(4, 4)) act = e.entry.admin
    t.equal(act?.kind, LogAdminKind.KEY_ERASURE)
    t.equal(Buffer.from(act?.keyId ?? []).toString('hex'), keyId)
    t.equal(act?.approver, ADMIN.approver)
    const verdict = await store.verify()
    t.equal(verdict.ok, true)
    t.equal(verdict.entries, 4)
    await t.rejects(store.getCurrent(juminhyoCode(1)), { code: 'KEN_ERR_STORE_KEY_ERASED' })
    // SPEC §2.5: a key per record — the erased one is the current (死亡) record; the 出生 record is history under its own key.
    t.equal((await store.getHistory(juminhyoCode(1))).length, 1, 'the older record stays readable')
    const opened = []
    for await (const e of store.entries(1, 2)) opened.push(await store.openUpdate(e).then(() => 'readable', (err: { code?: string }) => err.code))
    t.same(opened, ['readable', 'KEN_ERR_STORE_KEY_ERASED'])
    t.equal((await store.getCurrent(juminhyoCode(2)))?.nameKanji, person(2).nameKanji, 'others are untouched')
    await t.rejects(store.eraseResidentKey(keyId, ADMIN), { code: 'KEN_ERR_STORE_KEY_UNKNOWN' })
    // The shredded person counts as unknown: a new 転居 under the code is refused, a new 出生 would make a new key.
    const after = await one(store, item(cs.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2024-01-01', address: TENJIN }))))
    t.equal(after.reasonCode, 'KEN_REJECT_UNKNOWN_RESIDENT')
  })

  t.test('acts: one entry each, personal part sealed under the period key, kind from the registry', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    await one(store, item(cs.identity(person(1))))
    const detail = Buffer.from(JSON.stringify({ juminhyoCode: juminhyoCode(1), name: person(1).nameKanji }), 'utf8')
    const head = await store.recordAct({ kind: 'store.act-test', actor: 'op-0001', role: 'operator', terminal: 'T-01', purpose: 'B5-1', count: 1, detail, juminhyoCodes: [juminhyoCode(1)] })
    t.equal(head.position, 2)
    const plain = await store.recordAct({ kind: 'store.act-test', actor: 'op-0001', refused: true, reasonCode: 'KEN_ERR_TEST' })
    t.equal(plain.position, 3)
    const records = []
    for await (const e of store.entries(2, 3)) records.push(e)
    const [sealed, refused] = records
    t.equal(sealed?.entry.act?.kind, 'store.act-test')
    t.equal(sealed?.entry.act?.actor, 'op-0001')
    t.equal(sealed?.entry.act?.period.length, 7, 'the period key of the month (YYYY-MM)')
    t.equal(sealed?.entry.act?.subjects.length, 1)
    t.equal(sealed?.entry.act?.subjects[0]?.length, 16, 'residents as blind indexes')
    t.notOk(Buffer.from(sealed?.entry.act?.sealedDetail ?? []).includes(Buffer.from(juminhyoCode(1))), 'no 住民票コード in clear')
    if (sealed === undefined || refused === undefined) throw new Error('no entries')
    t.same(await store.openActDetail(sealed), detail)
    t.equal(await store.openActDetail(refused), undefined)
    t.equal(refused.entry.act?.refused, true)
    t.equal(refused.entry.act?.reasonCode, 'KEN_ERR_TEST')
    await t.rejects(store.recordAct({ kind: 'terminal.made-up', actor: 'x' }), { code: 'KEN_ERR_STORE_ACT_KIND' })
    await t.rejects(store.recordAct({ kind: 'store.act-test', actor: '' }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    await t.rejects(store.recordAct({ kind: 'store.act-test', actor: 'x', juminhyoCodes: ['123'] }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
    t.equal(store.head().position, 3, 'refused calls make no entry')
    const before = await viewSnapshot(store)
    await store.rebuild({ actor: 'admin01', approver: '' })
    t.same(await viewSnapshot(store), before)
    t.equal((await store.verify()).ok, true)
  })

  t.test('rebuild reproduces every view byte for byte and records the act', async (t) => {
    const store = await open(t, make)
    const fk = new Cs(FUKUOKA)
    const kk = new Cs(KITAKYUSHU)
    for (let i = 1; i <= 12; i++) await one(store, item((i % 3 === 0 ? kk : fk).identity(person(i))))
    await one(store, item(fk.identity(person(1, { changeReason: ChangeReason.TENKYO, changeDate: '2021-01-01', address: TENJIN }))))
    await one(store, item(fk.identity(person(2, { changeReason: ChangeReason.TENSHUTSU, changeDate: '2021-01-01' }))))
    await one(store, item(fk.identity(person(4, { juminhyoCode: juminhyoCode(400), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2021-01-01', previousJuminhyoCode: juminhyoCode(4) }))))
    await one(store, item(fk.fuhyo(fuhyo(5, FUKUOKA))))
    await one(store, item(fk.identity(person(1))))
    await one(store, preRejected(FUKUOKA, 'KEN_REJECT_MALFORMED'))
    const keyId = await store.keyIdOf(juminhyoCode(2))
    if (keyId !== undefined) await store.eraseResidentKey(keyId, ADMIN)
    const before = await viewSnapshot(store)
    const head = store.head()
    const { replayed, head: after } = await store.rebuild({ actor: 'admin01', approver: '' })
    t.equal(replayed, head.position)
    t.equal(after.position, head.position + 1)
    t.same(await viewSnapshot(store), before)
    t.ok(before['~current'] !== undefined && before['~current'].length > 0)
    let act
    for await (const e of store.entries(after.position)) act = e.entry.admin
    t.equal(act?.kind, LogAdminKind.REBUILD)
    t.equal(act?.replayed, replayed)
    t.equal((await store.verify()).ok, true)
  })

  t.test('verify walks the chain; entries chain by hash', async (t) => {
    const store = await open(t, make)
    const cs = new Cs(FUKUOKA)
    await store.append(Array.from({ length: 30 }, (_, i) => item(cs.identity(person(i)))))
    await store.append([item(cs.identity(person(100)))])
    const verdict = await store.verify()
    t.equal(verdict.ok, true)
    t.equal(verdict.entries, 31)
    t.equal(verdict.head.position, 31)
    t.equal(verdict.head.hash, store.head().hash.toString('hex'))
    let prev: Buffer = Buffer.alloc(32)
    let n = 0
    for await (const e of store.entries()) {
      t.same(e.prevHash, prev)
      t.equal(e.position, ++n)
      prev = e.hash
    }
    const slice = []
    for await (const e of store.entries(10, 12)) slice.push(e.position)
    t.same(slice, [10, 11, 12])
  })

  t.test('closed and unopened stores refuse calls', async (t) => {
    const store = await make(t)
    await t.rejects(store.append([item(new Cs(FUKUOKA).identity(person(1)))]), { code: 'KEN_ERR_STORE_NOT_OPEN' })
    await store.open()
    await store.close()
    await t.rejects(store.append([item(new Cs(FUKUOKA).identity(person(1)))]), { code: 'KEN_ERR_STORE_NOT_OPEN' })
    await t.rejects(store.getCurrent(juminhyoCode(1)), { code: 'KEN_ERR_STORE_NOT_OPEN' })
  })
}
