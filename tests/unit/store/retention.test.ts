// Retention (SPEC §2.5, requirements E1–E3, H23) with a simulated clock across 151 years: each
// record's key dies when its own term ends; the current record and younger history stay readable;
// verify and rebuild stay valid. Run against both implementations.
import t, { type Test } from 'tap'
import path from 'node:path'
import { ChangeReason, LogAdminKind, type IdentityUpdate } from '../../../proto/src/types.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { parseVerifierKey, signerFromSeed } from '../../../server/src/log/checkpoint/index.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import type { Store } from '../../../server/src/store/store.ts'
import { viewSnapshot } from './conformance.ts'
import { Cs, FUKUOKA, item, juminhyoCode, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

/** A clock the test moves: noon in Japan on `date`. */
class Clock {
  date = '2026-01-10'
  now = (): Date => new Date(`${this.date}T03:00:00Z`)
}

const ACTOR = { actor: 'retention-job' }

async function event (store: Store, cs: Cs, clock: Clock, date: string, p: IdentityUpdate): Promise<void> {
  clock.date = date
  const [r] = await store.append([item(cs.identity({ ...p, changeDate: date }))])
  if (r?.reasonCode !== '') throw new Error(`not accepted: ${r?.reasonCode ?? 'none'}`)
}

const TENJIN = '福岡県福岡市中央区天神一丁目1番1号'
const HAKATA = '福岡県福岡市博多区博多駅前二丁目2番2号'

function suite (name: string, make: (t: Test, clock: Clock) => Store): void {
  t.test(`${name}: a history record is readable on the last day of its 150 years and not the day after`, async (t) => {
    const clock = new Clock()
    const store = make(t, clock)
    await store.open()
    t.teardown(async () => await store.close())
    const cs = new Cs(FUKUOKA)
    const p1 = person(1, { birthDate: '2026-01-10' })
    await event(store, cs, clock, '2026-01-10', p1) // 出生
    await event(store, cs, clock, '2026-03-05', { ...p1, changeReason: ChangeReason.TENKYO, address: TENJIN }) // the 出生 record becomes history
    await event(store, cs, clock, '2030-06-01', { ...p1, changeReason: ChangeReason.TENKYO, address: HAKATA }) // a younger history record
    const p2 = person(2, { birthDate: '2026-01-10' })
    await event(store, cs, clock, '2026-01-10', p2)
    await event(store, cs, clock, '2027-02-01', { ...p2, changeReason: ChangeReason.SHIBOU }) // removed: 150 years from the removal
    const p3 = person(3, { birthDate: '2026-01-10' })
    await event(store, cs, clock, '2026-01-10', p3)
    await event(store, cs, clock, '2026-02-01', { ...p3, changeReason: ChangeReason.SHOKKEN_SHOJO })
    await event(store, cs, clock, '2026-03-01', { ...p3, changeReason: ChangeReason.SHOJO_KAIFUKU }) // back: the removal term is replaced
    clock.date = '2026-01-20'
    const act = await store.recordAct({ kind: 'store.act-test', actor: 'op-0001', detail: Buffer.from('search conditions'), juminhyoCodes: [juminhyoCode(1)] })
    const checkpoint = store.head()

    clock.date = '2176-03-05' // the last day of the 出生 record's term
    let report = await store.runRetention(ACTOR)
    t.equal(report.historyErased, 2, "person 3's 出生 and removal records (superseded 2026-02-01, 2026-03-01) are due; person 1's not on its last day")
    t.equal((await store.getHistory(juminhyoCode(1))).length, 2)
    t.equal((await store.getHistory(juminhyoCode(3))).length, 0)
    t.equal(report.periodsErased, 1, 'the acts of 2026-01 were past 7 years long ago')
    let actRecord
    for await (const e of store.entries(act.position, act.position)) actRecord = e
    if (actRecord === undefined) throw new Error('no act')
    await t.rejects(store.openActDetail(actRecord), { code: 'KEN_ERR_STORE_KEY_ERASED' }, 'operation history shredded after its retention')

    clock.date = '2176-03-06'
    report = await store.runRetention(ACTOR)
    t.equal(report.historyErased, 1, "person 1's 出生 record, the day after its term's last day")
    const history = await store.getHistory(juminhyoCode(1))
    t.same(history.map((h) => h.record.address), [TENJIN], 'the younger history record stays readable')
    t.equal((await store.getCurrent(juminhyoCode(1)))?.address, HAKATA, 'the current record stays readable')
    t.equal((await store.getCurrent(juminhyoCode(3)))?.status, 'current', 'a person who came back keeps the current record')
    t.equal(report.removedErased, 0)

    clock.date = '2177-02-01'
    t.equal((await store.runRetention(ACTOR)).removedErased, 0)
    t.equal((await store.getCurrent(juminhyoCode(2)))?.status, 'removed', 'a removed person is readable through the last day')
    clock.date = '2177-02-02'
    report = await store.runRetention(ACTOR)
    t.equal(report.removedErased, 1, 'the deceased person (incl. 個人番号) 150 years after the removal')
    t.equal(report.historyErased, 1, 'and their 出生 record, superseded the same day')
    await t.rejects(store.getCurrent(juminhyoCode(2)), { code: 'KEN_ERR_STORE_KEY_ERASED' })

    clock.date = '2180-06-02'
    report = await store.runRetention(ACTOR)
    t.equal(report.historyErased, 1, 'the record superseded on 2030-06-01, on its own day')
    t.same(await store.getHistory(juminhyoCode(1)), [])
    t.equal((await store.getCurrent(juminhyoCode(1)))?.address, HAKATA, 'a current record is never aged out')

    const records = []
    for await (const e of store.entries(checkpoint.position + 1)) records.push(e.entry.admin?.kind)
    t.ok(records.every((k) => k === LogAdminKind.RETENTION), 'one administrative entry per run, nothing else')
    const verdict = await store.verify({ verifierKey })
    t.equal(verdict.ok, true, 'the chain verifies over the shredded ciphertext')
    t.equal(verdict.tree.ok, true, 'the Merkle tree recomputed over the shredded ciphertext holds every kept checkpoint')
    t.ok(verdict.tree.checkpoints > 10 && verdict.tree.signaturesChecked, `${verdict.tree.checkpoints} checkpoints, signatures checked, those from before the erasures too`)
    const before = await viewSnapshot(store)
    await store.rebuild({ actor: 'admin01', approver: '' })
    t.same(await viewSnapshot(store), before, 'rebuild reproduces the views, due rows included')
    t.same((await store.runRetention(ACTOR)).historyErased, 0, 'a settled term is not counted twice')
  })
}

// Checkpoints after every group, so that old checkpoints are held to the tree after the erasures.
const logSigner = signerFromSeed('ken-server.pref-40.test/log', Buffer.alloc(32, 9))
const verifierKey = parseVerifierKey(logSigner.verifier.line)
suite('memory', (_t, clock) => new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, clock: clock.now, logSigner, checkpointIntervalMs: 0 }))
suite('level', (t, clock) => new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY, clock: clock.now, logSigner, checkpointIntervalMs: 0 }))

t.test('the retention job refuses a retention of acts under 7 years', async (t) => {
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  t.teardown(async () => await store.close())
  await t.rejects(store.runRetention(ACTOR, { actYears: 6 }), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
})
