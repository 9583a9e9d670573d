/**
 * The anomaly rules of the operation-history review (review/anomalies.ts) as a prefecture sets them:
 * its business hours, the weekdays and the days its offices are closed (国民の祝日, 年末年始 — a
 * list, since no source fixes them and they change yearly), and the thresholds. They come from the
 * appliance configuration (firmware-config `terminal.review`, through storeOptionsFrom) or, without
 * one, from `ken-store serve --review-rules FILE.json`; the store's options validate them once
 * (options.ts `terminal.reviewRules`); absent: anomalies.ts DEFAULT_RULES.
 */
import { z } from 'zod'
import { isIsoDate } from '../../domain/dates.ts'
import { DEFAULT_RULES, type AnomalyRules } from '../../terminal/review/anomalies.ts'
import { errors } from './errors.ts'

const hour = z.number().int().min(0).max(24)
const weekday = z.number().int().min(0).max(6)

/** The rules as options (every key optional, the defaults filled in). */
export const reviewRulesSchema = z.object({
  // [start, end) in Japan hours; a list (not a tuple) so a deeply readonly configuration passes as it is.
  businessHours: z.array(hour).length(2).refine(([a = 0, b = 0]) => a < b, 'start before end').default([...DEFAULT_RULES.businessHours]),
  closedWeekdays: z.array(weekday).max(7).refine((d) => new Set(d).size === d.length, 'each weekday once').default([...DEFAULT_RULES.closedWeekdays]),
  holidays: z.array(z.string().refine(isIsoDate, 'YYYY-MM-DD')).max(2000).default([]),
  volumeFactor: z.number().min(1).max(100).default(DEFAULT_RULES.volumeFactor),
  volumeMin: z.number().int().min(1).max(100_000).default(DEFAULT_RULES.volumeMin),
  fuzzyHits: z.number().int().min(1).max(10_000).default(DEFAULT_RULES.fuzzyHits),
  refusals: z.number().int().min(1).max(1000).default(DEFAULT_RULES.refusals)
}).strict()

/** The rules as a configuration or file writes them. */
export type ReviewRulesInput = z.input<typeof reviewRulesSchema>

/** Validate the rules. @throws KEN_ERR_TERM_OPTIONS naming the field */
export function parseReviewRules (input: unknown): AnomalyRules {
  const r = reviewRulesSchema.safeParse(input)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw errors.KEN_ERR_TERM_OPTIONS(`review rules: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { field: 'reviewRules' })
  }
  const [start = 0, end = 0] = r.data.businessHours
  return Object.freeze({ ...r.data, businessHours: Object.freeze([start, end] as const), closedWeekdays: Object.freeze([...r.data.closedWeekdays]), holidays: Object.freeze([...r.data.holidays]) })
}
