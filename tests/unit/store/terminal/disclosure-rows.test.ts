// 提供状況 rows of a disclosure (disclosure-ops.ts): recipient and purpose named from the registry;
// once the retention job shredded the acts' period key (SPEC §2.5, ≥ 7 years) the act is no longer
// disclosed — its detail cannot be opened, and the answer says nothing it cannot prove.
import t from 'tap'
import { MemoryStore } from '../../../../server/src/store/memory-store.ts'
import { provisionRows } from '../../../../server/src/store/terminal/disclosure-ops.ts'
import { DEFAULT_REGISTRY } from '../../../../server/src/store/terminal/purposes.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY } from '../helpers.ts'

t.test('rows within the retention period, none after the period key is shredded', async (t) => {
  let now = new Date('2026-06-01T01:00:00Z')
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, clock: () => now })
  await store.open()
  t.teardown(async () => await store.close())
  const p = person(3)
  await store.append([item(new Cs(FUKUOKA).identity(p))])
  const detail = Buffer.from(JSON.stringify({ kind: 'iten', recipient: 'R-RYOKEN', items: ['name', 'birthDate'], channel: 'terminal', reference: 'DOC-1', records: [p.juminhyoCode] }))
  const position = (await store.recordAct({ kind: 'terminal.provide', actor: 'OP001', purpose: 'B5-RYOKEN', detail, juminhyoCodes: [p.juminhyoCode] })).position
  const rows = await provisionRows(store, DEFAULT_REGISTRY, (await store.provisionActsOf(p.juminhyoCode, 10)).records)
  t.same(rows, [{ recordedAt: now.toISOString(), kind: 'iten', recipient: 'R-RYOKEN', recipientName: '旅券センター', purpose: 'B5-RYOKEN', purposeTitle: '旅券の発給に関する事務', items: ['name', 'birthDate'], position }])
  now = new Date('2034-07-01T01:00:00Z')
  await store.runRetention({ actor: 'test' })
  t.same(await provisionRows(store, DEFAULT_REGISTRY, (await store.provisionActsOf(p.juminhyoCode, 10)).records), [], 'past its retention: not disclosed')
})
