// The retention job runs by itself (SPEC §2.5 "erased automatically"): once after start, then once
// per day in Japan; each run is one administrative entry.
import t from 'tap'
import { LogAdminKind } from '../../../proto/src/types.ts'
import { MemoryStore } from '../../../server/src/store/memory-store.ts'
import { RetentionSchedule } from '../../../server/src/store/retention-schedule.ts'
import { TEST_APPLIANCE_KEY } from './helpers.ts'

t.test('one run per day in Japan, each an entry', async (t) => {
  let now = new Date('2026-11-29T03:00:00Z')
  const store = new MemoryStore({ applianceKey: TEST_APPLIANCE_KEY, clock: () => now })
  await store.open()
  t.teardown(async () => await store.close())
  const events: string[] = []
  const logger = { info: (f: Record<string, unknown>) => { events.push(String(f.event)) }, warn: () => undefined, error: (f: Record<string, unknown>) => { events.push(String(f.event)) } }
  const schedule = new RetentionSchedule(store, {}, { clock: () => now, logger })
  const settle = async (): Promise<void> => { for (let i = 0; i < 50 && store.head().position < events.length; i++) await new Promise((resolve) => setTimeout(resolve, 5)) }
  schedule.start(60_000)
  await schedule.stop()
  t.same(events, ['store.retention.run'])
  schedule.tick()
  await schedule.stop()
  t.equal(store.head().position, 1, 'the same day: no second run')
  now = new Date('2026-11-29T14:59:00Z')
  schedule.tick()
  await schedule.stop()
  t.equal(store.head().position, 1, 'still 11-29 in Japan')
  now = new Date('2026-11-29T15:00:00Z')
  schedule.tick()
  await schedule.stop()
  await settle()
  t.equal(store.head().position, 2, '11-30 in Japan: a run')
  const kinds = []
  for await (const e of store.entries()) kinds.push(e.entry.admin?.kind)
  t.same(kinds, [LogAdminKind.RETENTION, LogAdminKind.RETENTION])
})
