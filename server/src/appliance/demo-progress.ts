/**
 * How far the demo's simulated CS units got, kept in the state directory so a second `npm start`
 * continues each municipality's stream where it stopped instead of resending it (resent updates would
 * only come back DUPLICATE). A different plan on a used state directory is refused: its file would not
 * match the new plan's expectations.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { defineErrors } from '../../../proto/src/ken-error.ts'
import type { SimStats } from '../../../tests/sim/cs-sim/simulator.ts'
import type { DemoPlan } from './demo-events.ts'

const errors = defineErrors({
  KEN_ERR_DEMO_PLAN_CHANGED: { message: 'this state directory holds a demo run with a different plan; delete it or choose another --state' }
})

export interface DemoProgress {
  readonly plan: DemoPlan
  /** Events per municipality whose result had come back before this run. */
  readonly done: Readonly<Record<string, number>>
}

export function loadProgress (file: string, plan: DemoPlan): DemoProgress {
  if (!existsSync(file)) return { plan, done: {} }
  const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoProgress
  if (JSON.stringify(saved.plan) !== JSON.stringify(plan)) throw errors.KEN_ERR_DEMO_PLAN_CHANGED(`saved ${JSON.stringify(saved.plan)}`)
  return saved
}

/** Write atomically: earlier runs' counts plus this run's results so far. */
export function saveProgress (file: string, plan: DemoPlan, before: ReadonlyMap<string, number>, stats: SimStats): void {
  const done: Record<string, number> = Object.fromEntries(before)
  for (const [code, s] of Object.entries(stats.municipalities)) done[code] = (before.get(code) ?? 0) + s.results
  const tmp = `${file}.tmp`
  writeFileSync(tmp, `${JSON.stringify({ plan, done }, null, 2)}\n`)
  renameSync(tmp, file)
}
