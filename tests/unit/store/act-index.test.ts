// The actidx view (docs/store-contract.md; act-index.ts), on both implementations: a person's
// provision acts — refused attempts and other acts left out, also under a 住民票コード they gave up,
// bounded with `truncated` — and correction steps grouped by case; rebuild reproduces both.
import t, { type Test } from 'tap'
import path from 'node:path'
import { ChangeReason } from '../../../proto/src/types.ts'
import { LevelStore } from '../../../server/src/store/level-store.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import type { Store } from '../../../server/src/store/store.ts'
import { Cs, FUKUOKA, item, juminhyoCode, person, TEST_APPLIANCE_KEY, tempDir } from './helpers.ts'

const makers: Array<[string, (t: Test) => Store]> = [
  ['memory', () => new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY })],
  ['level', (t) => new LevelStore({ location: path.join(tempDir(t), 'db'), applianceKey: TEST_APPLIANCE_KEY })]
]

for (const [name, make] of makers) {
  t.test(`${name}: provisions by person, steps by case`, async (t) => {
    const store = make(t)
    await store.open()
    t.teardown(async () => await store.close())
    const cs = new Cs(FUKUOKA)
    await store.append([item(cs.identity(person(1))), item(cs.identity(person(2)))])
    const a = juminhyoCode(1)
    const b = juminhyoCode(2)
    const given = (await store.recordAct({ kind: 'terminal.provide', actor: 'OP001', purpose: 'B5-RYOKEN', juminhyoCodes: [a, b], detail: Buffer.from('{}') })).position
    await store.recordAct({ kind: 'terminal.provide', actor: 'OP001', purpose: 'B5-RYOKEN', refused: true, juminhyoCodes: [a] })
    await store.recordAct({ kind: 'terminal.view', actor: 'OP001', purpose: 'B5-RYOKEN', juminhyoCodes: [a] })
    // 住民票コード変更: the history stays under the old code and is still the person's.
    await store.append([item(cs.identity(person(1, { juminhyoCode: juminhyoCode(901), changeReason: ChangeReason.JUMINHYO_CODE_HENKO, changeDate: '2024-01-01', previousJuminhyoCode: a })))])
    const after = (await store.recordAct({ kind: 'terminal.provide', actor: 'OP001', purpose: 'B5-RYOKEN', juminhyoCodes: [juminhyoCode(901)] })).position
    const mine = await store.provisionActsOf(juminhyoCode(901), 10)
    t.same(mine.records.map((r) => r.position), [given, after], 'both codes, refused and viewing acts left out')
    t.equal(mine.truncated, false)
    t.same((await store.provisionActsOf(b, 10)).records.map((r) => r.position), [given])
    const bounded = await store.provisionActsOf(juminhyoCode(901), 1)
    t.same([bounded.records.length, bounded.truncated], [1, true])

    const one = Buffer.alloc(16, 1)
    const two = Buffer.alloc(16, 2)
    const r1 = (await store.recordAct({ kind: 'correction.receive', actor: 'OP002', ref: one, juminhyoCodes: [b] })).position
    const r2 = (await store.recordAct({ kind: 'correction.receive', actor: 'OP002', ref: two })).position
    await store.recordAct({ kind: 'correction.investigate', actor: 'OP002', ref: one, refused: true })
    const i1 = (await store.recordAct({ kind: 'correction.investigate', actor: 'OP002', ref: one })).position
    const all = await store.caseActs(undefined, 100)
    t.same([...all.cases].map(([id, acts]) => [id, acts.map((r) => r.position)]), [[one.toString('hex'), [r1, i1]], [two.toString('hex'), [r2]]])
    t.same([...(await store.caseActs(two, 100)).cases.keys()], [two.toString('hex')])
    t.equal((await store.caseActs(undefined, 2)).truncated, true)
    t.equal((await store.entryAt(i1))?.entry.act?.kind, 'correction.investigate')
    t.equal(await store.entryAt(store.head().position + 5), undefined)

    const before: string[] = []
    for await (const [k] of store.scanView('actidx')) before.push(k.toString('hex'))
    await store.rebuild({ actor: 'test', approver: '' })
    const rebuilt: string[] = []
    for await (const [k] of store.scanView('actidx')) rebuilt.push(k.toString('hex'))
    t.same(rebuilt, before, 'rebuild reproduces the view')
  })
}
