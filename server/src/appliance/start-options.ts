/** The demo launcher's options, validated once (STYLE.md: options validated at the edge). */
import { z } from 'zod'
import { defineErrors } from '../../../proto/src/ken-error.ts'
import type { DemoPlan } from './demo-events.ts'

export const START_USAGE = 'usage: npm start [-- --state DIR] [--rate N] [--window N] [--batch N] [--residents N] [--events N] [--invalid-rate R] [--seed N] [--duration SECONDS] [--port N] [--maint-port N] [--terminal-port N] [--rows N]'

const errors = defineErrors({
  KEN_ERR_START_USAGE: { message: 'invalid option for npm start' }
})

const num = (min: number, max: number, dflt: number): z.ZodType<number, z.ZodTypeDef, string | undefined> =>
  z.string().optional().transform((s) => (s === undefined ? dflt : Number(s))).pipe(z.number().min(min).max(max))

const schema = z.object({
  state: z.string().min(1).default('var'),
  rate: num(0.1, 100_000, 50),
  window: num(1, 1024, 16),
  // The initial load travels in …/update-batch PUBLISHes of this many updates (batch.proto; 1: each alone).
  batch: num(1, 4096, 32),
  residents: num(60, 10_000_000, 30_000),
  events: num(0, 10_000_000, 20_000),
  'invalid-rate': num(0, 1, 0.03),
  seed: num(0, 2 ** 31, 40),
  duration: num(0, 86_400, 0),
  port: z.string().optional().transform((s) => (s === undefined ? undefined : Number(s))).pipe(z.number().int().min(1).max(65535).optional()),
  'maint-port': z.string().optional().transform((s) => (s === undefined ? undefined : Number(s))).pipe(z.number().int().min(1024).max(65535).optional()),
  'terminal-port': z.string().optional().transform((s) => (s === undefined ? undefined : Number(s))).pipe(z.number().int().min(1).max(65535).optional()),
  rows: num(1, 60, 20)
}).strict()

export interface StartOptions {
  readonly state: string
  readonly rate: number
  readonly window: number
  readonly batch: number
  readonly durationSeconds: number
  readonly port: number | undefined
  /** ken-maint's port (management.port); with --port alone a free one is picked. */
  readonly maintPort: number | undefined
  /** The web console's port (default: the configuration's terminal.port, 8443). */
  readonly terminalPort: number | undefined
  readonly rows: number
  readonly plan: DemoPlan
}

export function parseStartOptions (values: Record<string, unknown>): StartOptions {
  const r = schema.safeParse(values)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw errors.KEN_ERR_START_USAGE(`--${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`)
  }
  const v = r.data
  return {
    state: v.state,
    rate: v.rate,
    window: Math.floor(v.window),
    batch: Math.floor(v.batch),
    durationSeconds: v.duration,
    port: v.port,
    maintPort: v['maint-port'],
    terminalPort: v['terminal-port'],
    rows: Math.floor(v.rows),
    plan: { seed: Math.floor(v.seed), residents: Math.floor(v.residents), events: Math.floor(v.events), invalidRate: v['invalid-rate'] }
  }
}
