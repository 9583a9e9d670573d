// The retention job runs by itself (SPEC §2.5 "erased automatically"): once after start, then once
// per day in Japan; a run that erases something is one administrative entry, one that finds nothing
// due makes none.
import t from 'tap'
import { LogAdminKind } from '../../../proto/src/types.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { RetentionSchedule } from '../../../server/src/store/retention-schedule.ts'
import { TEST_APPLIANCE_KEY } from './helpers.ts'

t.test('one run per day in Japan; an entry only when something was erased', async (t) => {
  let now = new Date('2026-11-29T03:00:00Z')
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, clock: () => now })
  await store.open()
  t.teardown(async () => await store.close())
  const events: string[] = []
  const logger = { info: (f: Record<string, unknown>) => { events.push(String(f.event)) }, warn: () => undefined, error: (f: Record<string, unknown>) => { events.push(String(f.event)) } }
  const schedule = new RetentionSchedule(store, {}, { clock: () => now, logger })
  schedule.start(60_000)
  await schedule.stop()
  t.same(events, ['store.retention.run'])
  t.equal(store.head().position, 0, 'nothing due: no entry')
  schedule.tick()
  await schedule.stop()
  t.same(events, ['store.retention.run'], 'the same day: no second run')
  now = new Date('2026-11-29T14:59:00Z')
  schedule.tick()
  await schedule.stop()
  t.equal(events.length, 1, 'still 11-29 in Japan')
  // An act of the month, whose period key is due 7 years later.
  await store.recordAct({ kind: 'store.act-test', actor: 'op-1', detail: Buffer.from('x') })
  now = new Date('2026-11-29T15:00:00Z')
  schedule.tick()
  await schedule.stop()
  t.equal(events.length, 2, '11-30 in Japan: a run')
  t.equal(store.head().position, 1, 'still nothing due')
  now = new Date('2033-12-01T03:00:00Z')
  schedule.tick()
  await schedule.stop()
  t.equal(events.length, 3)
  const kinds = []
  for await (const e of store.entries()) kinds.push(e.entry.admin?.kind ?? e.entry.act?.kind)
  t.same(kinds, ['store.act-test', LogAdminKind.RETENTION], 'the run that erased the period key is one entry')
})
