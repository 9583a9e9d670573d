// ken-national end to end in one process (SPEC §5.1): every ACCEPTED update reaches the simulator once,
// in log order, and no REJECTED one does; the forward carries exactly the items of SPEC §2.1 (本人確認情報)
// and §2.2 (附票, never a 個人番号), compared with the store's own decrypted copy; every transmission
// batch is a national.forward act; the lag is exposed; a restart of the simulator loses nothing.
import t, { type Test } from 'tap'
import { ChangeReason, LogUpdateKind, ResultStatus } from '../../../proto/src/types.ts'
import { Cs, FUKUOKA, KITAKYUSHU, fuhyo, item, person } from '../../unit/store/helpers.ts'
import { bench, recorder, until } from './helpers.ts'

/** The 本人確認情報 items SPEC §2.1 says are forwarded (and the supporting ones NationalForward names). */
const IDENTITY_ITEMS = ['juminhyoCode', 'nameKanji', 'nameKana', 'birthDate', 'sex', 'address', 'kojinBango', 'changeReason', 'changeDate', 'kyuujiKanji', 'kyuujiKana', 'previousJuminhyoCode'] as const

for (const batch of [1, 5]) {
  t.test(`accepted updates only, once, in order, with exactly their items; batches recorded; lag exposed (${batch} per PUBLISH)`, async (t) => {
    await forwardsEachOnce(t, batch)
  })
}

async function forwardsEachOnce (t: Test, batch: number): Promise<void> {
  const b = await bench(t)
  const daemon = await b.startStore()
  const store = daemon.store
  const fk = new Cs(FUKUOKA)
  const kk = new Cs(KITAKYUSHU)
  for (let i = 0; i < 20; i++) {
    await store.append([
      item(fk.identity(person(i))),
      item(fk.identity(person(i))), // a second 出生 of a current resident: REJECTED
      item(kk.fuhyo(fuhyo(100 + i, KITAKYUSHU)))
    ])
  }
  await store.append([item(fk.identity(person(3, { changeReason: ChangeReason.TENKYO, changeDate: '2022-02-02', address: '福岡県福岡市博多区博多駅前1丁目' })))])
  const sim = await b.startSim()
  const log = recorder()
  const national = await b.startNational(sim.port, { window: 8, batch }, log)

  const accepted: number[] = []
  for await (const r of store.entries()) if (r.entry.update?.status === ResultStatus.ACCEPTED) accepted.push(r.position)
  t.equal(accepted.length, 41)
  await until(async () => await store.outboxConfirmed() === accepted.at(-1), 60_000, 'every forward confirmed')

  const held = await sim.store.forwards('40')
  t.same(held.map((h) => h.forward.logPosition), accepted, 'exactly the accepted positions, in log order, each once')
  t.equal(sim.acknowledged('40'), accepted.at(-1))
  for (const h of held) {
    const record = await (async () => { for await (const r of store.entries(h.forward.logPosition, h.forward.logPosition)) return r })()
    if (record === undefined) throw new Error('no entry')
    const update = await store.openUpdate(record)
    t.same(Buffer.from(h.forward.entryHash), record.hash, 'the entry hash')
    if (h.kind === 'identity') {
      t.equal(record.entry.update?.kind, LogUpdateKind.IDENTITY)
      const sent = Object.fromEntries(IDENTITY_ITEMS.map((k) => [k, h.forward[k]]))
      const kept = Object.fromEntries(IDENTITY_ITEMS.map((k) => [k, update?.identity?.[k]]))
      t.same(sent, kept, `position ${h.forward.logPosition}: the SPEC §2.1 items as the store holds them`)
      t.equal(h.forward.municipalityCode, update?.municipalityCode)
    } else {
      t.equal(record.entry.update?.kind, LogUpdateKind.FUHYO)
      t.same(h.forward.fuhyo, update?.fuhyo, `position ${h.forward.logPosition}: the 18 附票 items`)
      t.notOk(JSON.stringify(h.forward).includes('kojin'), 'no 個人番号 in a 附票 forward')
    }
  }

  let covered = 0
  let acts = 0
  for await (const r of store.entries()) {
    const act = r.entry.act
    if (act?.kind !== 'national.forward') continue
    acts++
    t.match(act.terminal, /^CN=localhost serial=/, 'the peer is named')
    covered += act.count
  }
  t.equal(covered, accepted.length, 'the transmission acts count every forward once')
  t.ok(acts >= 1 && acts <= accepted.length)
  await until(() => national.lag().lagPositions === 0, 30_000, 'the lag back to 0 once the acts are read past')
  const lag = national.lag()
  t.same([lag.linkUp, lag.outboxConnected, lag.confirmed, lag.pendingForwards], [true, true, accepted.at(-1), 0])
  t.ok(log.events.some((e) => e.event === 'national.link.up'))
  t.notOk(JSON.stringify(log.events).includes(person(1).nameKanji), 'no personal data in ken-national\'s log')
  // Batches are real: at most `batch` forwards per PUBLISH, and fewer PUBLISHes than forwards when batched.
  t.ok(sim.stats.largestPublish <= batch, `at most ${batch} forwards in one PUBLISH (largest ${sim.stats.largestPublish})`)
  if (batch === 1) t.ok(sim.stats.publishes >= accepted.length, 'each forward in a PUBLISH of its own')
  else t.ok(sim.stats.publishes < accepted.length && sim.stats.largestPublish > 1, `${accepted.length} forwards in ${sim.stats.publishes} PUBLISHes`)
}

t.test('the simulator restarted mid-stream: it resumes from what it holds, nothing twice, nothing lost', async (t) => {
  const b = await bench(t)
  const daemon = await b.startStore()
  const store = daemon.store
  const fk = new Cs(FUKUOKA)
  for (let i = 0; i < 10; i++) await store.append([item(fk.identity(person(i)))])
  let sim = await b.startSim()
  const port = sim.port
  await b.startNational(port, { window: 4 })
  await until(async () => await store.outboxConfirmed() === 10, 60_000, 'first ten confirmed')
  await sim.close()
  const accepted: number[] = []
  for (let i = 10; i < 20; i++) accepted.push(...(await store.append([item(fk.identity(person(i)))])).map((r) => r.logPosition))
  sim = await b.startSim({ port })
  await until(async () => await store.outboxConfirmed() === accepted.at(-1), 60_000, 'all twenty confirmed after the restart')
  t.same((await sim.store.forwards('40')).map((h) => h.forward.logPosition), [...Array.from({ length: 10 }, (_, i) => i + 1), ...accepted])
})
