/**
 * The anomaly rules of the operation-history review (review/anomalies.ts) as a prefecture sets them:
 * its business hours and the days its offices are closed besides weekends (国民の祝日, 年末年始 — a
 * list, since no source fixes them and they change yearly), and the thresholds. A JSON file validated
 * once at the edge (`ken-store serve --review-rules FILE`); absent: anomalies.ts DEFAULT_RULES.
 */
import { z } from 'zod'
import { isIsoDate } from '../../domain/dates.ts'
import { DEFAULT_RULES, type AnomalyRules } from '../../terminal/review/anomalies.ts'
import { errors } from './errors.ts'

const hour = z.number().int().min(0).max(24)
const schema = z.object({
  businessHours: z.tuple([hour, hour]).refine(([a, b]) => a < b, 'start before end').default([...DEFAULT_RULES.businessHours] as [number, number]),
  holidays: z.array(z.string().refine(isIsoDate, 'YYYY-MM-DD')).max(2000).default([]),
  volumeFactor: z.number().min(1).max(100).default(DEFAULT_RULES.volumeFactor),
  volumeMin: z.number().int().min(1).max(100_000).default(DEFAULT_RULES.volumeMin),
  fuzzyHits: z.number().int().min(1).max(10_000).default(DEFAULT_RULES.fuzzyHits),
  refusals: z.number().int().min(1).max(1000).default(DEFAULT_RULES.refusals)
}).strict()

/** Validate the rules. @throws KEN_ERR_TERM_OPTIONS naming the field */
export function parseReviewRules (input: unknown): AnomalyRules {
  const r = schema.safeParse(input)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw errors.KEN_ERR_TERM_OPTIONS(`review rules: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { field: 'reviewRules' })
  }
  return Object.freeze({ ...r.data, businessHours: Object.freeze([...r.data.businessHours]) as unknown as readonly [number, number], holidays: Object.freeze([...r.data.holidays]) })
}
