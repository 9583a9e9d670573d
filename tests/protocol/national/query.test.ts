// 照会 to the national server (SPEC §5.1, §6; B2.1–B2.3): the store asks through the outbox relay, the
// simulator answers from its seeded population of other prefectures' residents, and the query is in
// the log as a national.query act — conditions and answered codes sealed, the rest in clear.
import t from 'tap'
import { otherPrefectureResidents } from '../../sim/national/others.ts'
import { bench, until } from './helpers.ts'
import { nationalLinkQuery } from '../../../server/src/store/terminal/national-link.ts'

t.test('a resident of another prefecture, by 住民票コード, 個人番号 and 4情報: answered and logged', async (t) => {
  const b = await bench(t)
  const daemon = await b.startStore()
  const seeded = otherPrefectureResidents(40)
  const sim = await b.startSim({ seed: seeded })
  const national = await b.startNational(sim.port)
  await until(() => national.lag().linkUp && national.lag().outboxConnected, 60_000, 'link and outbox up')
  const target = seeded[7]
  if (target === undefined) throw new Error('no seeded resident')
  t.equal(target.prefectureCode, '41', 'a 佐賀県 resident')

  const asker = { actor: 'OP001', role: 'operator', terminal: 'T-01', purpose: 'B5-1' }
  const byCode = await daemon.queryNational({ ...asker, juminhyoCode: target.juminhyoCode })
  t.equal(byCode.records.length, 1)
  t.same(byCode.records[0], target, "the simulator's record")
  const byKojin = await daemon.queryNational({ ...asker, kojinBango: target.kojinBango })
  t.equal(byKojin.records[0]?.juminhyoCode, target.juminhyoCode)
  const byFour = await daemon.queryNational({ ...asker, fourItems: { nameKana: target.nameKana, birthDate: target.birthDate } })
  t.ok(byFour.records.some((r) => r.juminhyoCode === target.juminhyoCode))
  const none = await daemon.queryNational({ ...asker, juminhyoCode: '00000000000' })
  t.same([none.records.length, none.reasonCode], [0, 'KEN_REJECT_UNKNOWN_RESIDENT'])

  const records = []
  for await (const r of daemon.store.entries(byCode.actPosition, byCode.actPosition)) records.push(r)
  const record = records[0]
  if (record === undefined) throw new Error('no act entry')
  t.match(record.entry.act, { kind: 'national.query', actor: 'OP001', role: 'operator', terminal: 'T-01', purpose: 'B5-1', count: 1, refused: false })
  t.equal(record.entry.act?.subjects.length, 1, 'the answered resident, as a blind index')
  t.notOk(JSON.stringify(record.entry.act).includes(target.juminhyoCode), 'no 住民票コード in clear')
  const detail = JSON.parse(String(await daemon.store.openActDetail(record))) as { conditions: { juminhyoCode?: string }, answered: string[] }
  t.same([detail.conditions.juminhyoCode, detail.answered], [target.juminhyoCode, [target.juminhyoCode]], 'the conditions and the answer, sealed')

  const err = await daemon.queryNational({ ...asker, fourItems: { sex: 1, nameKana: target.nameKana } }).then(() => undefined, (e: unknown) => e)
  t.match(err, { code: 'KEN_ERR_STORE_NATIONAL_QUERY' }, 'one item of 4情報 (性別 never counts) is refused before anything is asked')
})

t.test('the terminal\'s search for a person outside the file goes through the national link (H7)', async (t) => {
  const b = await bench(t)
  const daemon = await b.startStore()
  const seeded = otherPrefectureResidents(40)
  const sim = await b.startSim({ seed: seeded })
  const national = await b.startNational(sim.port)
  await until(() => national.lag().linkUp && national.lag().outboxConnected, 60_000, 'link and outbox up')
  const target = seeded[3]
  const outbox = daemon.outbox
  if (target === undefined || outbox === undefined) throw new Error('no seeded resident or outbox')
  // What the terminal's search hands its NationalQuery seam (server/src/store/terminal/search.ts).
  const seam = nationalLinkQuery(daemon.store, outbox, 10_000)
  const blank = { purpose: 'B5-1', juminhyoCode: '', kojinBango: '', name: '', address: '', birthDate: '', sex: 0 as const }
  const byCode = await seam.search({ ...blank, juminhyoCode: target.juminhyoCode })
  t.equal(byCode.status, 'answered')
  t.equal(byCode.status === 'answered' ? byCode.persons[0]?.nameKanji : '', target.nameKanji, 'the simulator\'s record, as the terminal shows it')
  const byFour = await seam.search({ ...blank, name: target.nameKana, birthDate: target.birthDate })
  t.ok(byFour.status === 'answered' && byFour.persons.some((p) => p.juminhyoCode === target.juminhyoCode), '4情報 (かな氏名 + 生年月日)')
  const acts = []
  for await (const r of daemon.store.entries()) if (r.entry.act?.kind === 'national.query') acts.push(r.entry.act)
  t.equal(acts.length, 2, 'each query is a national.query act')
  t.ok(acts.every((a) => a.actor === 'ken-terminal' && !a.refused))
})

t.test('without a connected ken-national the query is refused, and the refusal is logged', async (t) => {
  const b = await bench(t)
  const daemon = await b.startStore()
  const err = await daemon.queryNational({ actor: 'OP001', purpose: 'B5-1', juminhyoCode: '12345678901' }).then(() => undefined, (e: unknown) => e)
  t.match(err, { code: 'KEN_ERR_STORE_NATIONAL_NO_LINK' })
  const acts = []
  for await (const r of daemon.store.entries()) if (r.entry.act?.kind === 'national.query') acts.push(r.entry.act)
  t.match(acts, [{ refused: true, reasonCode: 'KEN_ERR_STORE_NATIONAL_NO_LINK', count: 0 }])
})

t.test('ken-national connected but its national link down: refused at once, and logged', async (t) => {
  const b = await bench(t)
  const daemon = await b.startStore()
  // Port 1 on loopback: nothing listens there, the link never comes up.
  const national = await b.startNational(1)
  await until(() => national.lag().outboxConnected, 30_000, 'outbox connected')
  const err = await daemon.queryNational({ actor: 'OP001', purpose: 'B5-1', kojinBango: '123456789018' }).then(() => undefined, (e: unknown) => e)
  t.match(err, { code: 'KEN_ERR_STORE_NATIONAL_NO_LINK' })
  const acts = []
  for await (const r of daemon.store.entries()) if (r.entry.act?.kind === 'national.query') acts.push(r.entry.act)
  t.match(acts, [{ refused: true, reasonCode: 'KEN_ERR_NATIONAL_LINK_DOWN', count: 0 }])
})
