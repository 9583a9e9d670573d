/**
 * A correction request (訂正等の申出, 住基法30条の35; SPEC §6, requirements A5): a case from receipt
 * through investigation and contact with the municipality — who alone updates the record, through
 * its CS — to the municipality's update (the log position that fixed it) and closure. Each step is
 * one act in the log; the case is the fold of its steps, so it is rebuilt from the log alone.
 */
import { errors } from '../forms/errors.ts'

export type CaseState = 'received' | 'investigating' | 'referred' | 'updated' | 'closed'

export type CaseStep =
  | { readonly kind: 'receive', readonly at: string, readonly by: string }
  | { readonly kind: 'investigate', readonly at: string, readonly by: string }
  /** The municipality was contacted (its 市町村コード). */
  | { readonly kind: 'refer', readonly at: string, readonly by: string, readonly municipalityCode: string }
  /** The municipality's update arrived: the log position of the accepted update that fixed it. */
  | { readonly kind: 'updated', readonly at: string, readonly by: string, readonly position: number }
  /** Closed: corrected (after an update) or not (with the reason given to the requester). */
  | { readonly kind: 'close', readonly at: string, readonly by: string, readonly outcome: 'corrected' | 'not-corrected', readonly reason: string }

export interface CorrectionCase {
  readonly state: CaseState
  readonly receivedAt: string
  readonly municipalityCode: string
  readonly fixedAt: number
  readonly outcome: '' | 'corrected' | 'not-corrected'
  readonly steps: readonly CaseStep[]
}

/** Which step may follow which state. */
const NEXT: Readonly<Record<CaseState, ReadonlyArray<CaseStep['kind']>>> = {
  received: ['investigate'],
  investigating: ['refer', 'close'],
  referred: ['updated', 'close'],
  updated: ['close'],
  closed: []
}

/** The case after `step`. @throws KEN_ERR_FORM_INPUT when the step may not follow the case's state */
export function applyStep (c: CorrectionCase | undefined, step: CaseStep): CorrectionCase {
  if (c === undefined) {
    if (step.kind !== 'receive') throw errors.KEN_ERR_FORM_INPUT('a case begins with its receipt')
    return { state: 'received', receivedAt: step.at, municipalityCode: '', fixedAt: 0, outcome: '', steps: [step] }
  }
  if (!NEXT[c.state].includes(step.kind)) throw errors.KEN_ERR_FORM_INPUT(`${step.kind} cannot follow ${c.state}`)
  const steps = [...c.steps, step]
  switch (step.kind) {
    case 'investigate': return { ...c, state: 'investigating', steps }
    case 'refer':
      if (!/^\d{6}$/.test(step.municipalityCode)) throw errors.KEN_ERR_FORM_INPUT('a 市町村コード is 6 digits')
      return { ...c, state: 'referred', municipalityCode: step.municipalityCode, steps }
    case 'updated':
      if (!Number.isSafeInteger(step.position) || step.position < 1) throw errors.KEN_ERR_FORM_INPUT('the update is a log position')
      return { ...c, state: 'updated', fixedAt: step.position, steps }
    case 'close':
      if (step.outcome === 'corrected' && c.state !== 'updated') throw errors.KEN_ERR_FORM_INPUT('corrected only after the municipality\'s update')
      if (step.outcome === 'not-corrected' && step.reason.trim() === '') throw errors.KEN_ERR_FORM_INPUT('a case closed without correction gives its reason')
      return { ...c, state: 'closed', outcome: step.outcome, steps }
    default: throw errors.KEN_ERR_FORM_INPUT('a case has one receipt')
  }
}

/** Open cases, oldest first, with their age in days at `today` (YYYY-MM-DD). */
export function openCasesByAge (cases: ReadonlyMap<string, CorrectionCase>, today: string): Array<{ id: string, state: CaseState, days: number }> {
  const day = (iso: string): number => Math.floor(Date.parse(iso.slice(0, 10)) / 86_400_000)
  return [...cases.entries()]
    .filter(([, c]) => c.state !== 'closed')
    .map(([id, c]) => ({ id, state: c.state, days: day(today) - day(c.receivedAt) }))
    .sort((a, b) => b.days - a.days || (a.id < b.id ? -1 : 1))
}
