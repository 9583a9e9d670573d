/**
 * 訂正等の申出 (住基法30条の35; SPEC §6; requirements A4.6): a case from receipt through investigation
 * and contact with the municipality — which alone updates the record, through its CS — to the
 * municipality's update and closure. Each step is one act (`correction.*`, the case id in `ref`); the
 * case is the fold of its acts (terminal/corrections/case.ts) read back through the actidx view, so
 * there is no case table that could drift from the log. A step the case's state does not allow is
 * refused and the refusal recorded.
 */
import { randomBytes } from 'node:crypto'
import { CorrectionStepKind, LogUpdateKind, ResultStatus, type CorrectionCaseInfo, type CorrectionQuery, type CorrectionStep, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { applyStep, openCasesByAge, type CaseStep, type CorrectionCase } from '../../terminal/corrections/case.ts'
import { jstDateOf } from '../../domain/retention.ts'
import type { LogRecord } from '../store-types.ts'
import { actorFields, cardOf, detail, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { checkPurpose, isPurpose } from './resident-ops.ts'
import { CORRECTION_PURPOSE } from './request-purposes.ts'

type Answer = Partial<TerminalResponse>

const STEP_NAMES: Readonly<Record<number, CaseStep['kind']>> = {
  [CorrectionStepKind.RECEIVE]: 'receive',
  [CorrectionStepKind.INVESTIGATE]: 'investigate',
  [CorrectionStepKind.REFER]: 'refer',
  [CorrectionStepKind.UPDATED]: 'updated',
  [CorrectionStepKind.CLOSE]: 'close'
}
const CASE_ID = /^[0-9a-f]{32}$/
const FORM_NUMBER = /^[A-Za-z0-9-]{0,32}$/
/** Acts read at most for the case list; cases are few (one per written request). */
export const CASE_ACT_LIMIT = 10_000
const TEXT_LIMIT = 2000

/** One step at a time per store: the fold a step is checked against is the case as logged. */
const queues = new WeakMap<TerminalContext, Promise<unknown>>()
async function serially<T> (ctx: TerminalContext, fn: () => Promise<T>): Promise<T> {
  const run = (queues.get(ctx) ?? Promise.resolve()).then(fn, fn)
  queues.set(ctx, run.catch(() => undefined))
  return await run
}

/** The act kind of a step (`correction.<step>`; an unknown step is recorded as a receipt attempt). */
export function correctionActKind (q: CorrectionStep): string {
  return `correction.${STEP_NAMES[q.kind] ?? 'receive'}`
}

export async function correctionStep (ctx: TerminalContext, actor: Actor, q: CorrectionStep): Promise<Answer> {
  return await serially(ctx, async () => await step(ctx, actor, q))
}

async function step (ctx: TerminalContext, actor: Actor, q: CorrectionStep): Promise<Answer> {
  const name = STEP_NAMES[q.kind]
  const kind = correctionActKind(q)
  const purpose = await checkPurpose(ctx, actor, kind, q.purpose)
  if (!isPurpose(purpose)) return purpose
  const caseId = name === 'receive' ? randomBytes(16) : CASE_ID.test(q.caseId) ? Buffer.from(q.caseId, 'hex') : undefined
  const base = { kind, ...actorFields(actor), purpose: purpose.code, ...(caseId === undefined ? {} : { ref: caseId }) }
  const note = `card=${cardOf(actor.account)}${caseId === undefined ? '' : ` case=${caseId.toString('hex')}`}`
  const refuse = async (error: ErrorFactory, field: string): Promise<Answer> => refusal(error, field, await recordAct(ctx, { ...base, refused: true, reasonCode: error.code, note }))
  if (purpose.code !== CORRECTION_PURPOSE) return await refuse(errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, 'purpose')
  if (name === undefined || !FORM_NUMBER.test(q.reference) || q.text.length > TEXT_LIMIT) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, name === undefined ? 'kind' : 'text')
  if (caseId === undefined) return await refuse(errors.KEN_ERR_TERM_CASE_UNKNOWN, 'caseId')
  const at = ctx.clock().toISOString()
  const by = actor.account.id
  if (name === 'receive') {
    const ref = actor.session.refs.get(q.ref)
    // A4.6: the prefecture investigates its own file; the person must be one this session found.
    if (ref === undefined || ref.purpose !== purpose.code || ref.national !== undefined || await ctx.store.getCurrent(ref.juminhyoCode) === undefined) return await refuse(errors.KEN_ERR_TERM_UNKNOWN_REF, 'ref')
    if (q.text.trim() === '') return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'text')
    const position = await recordAct(ctx, { ...base, count: 1, note, detail: detail({ request: q.text, reference: q.reference }), juminhyoCodes: [ref.juminhyoCode] })
    return { logPosition: position, corrections: { cases: [caseInfo(caseId.toString('hex'), applyStep(undefined, { kind: 'receive', at, by }), [position], ctx.clock())] } }
  }
  const found = await ctx.store.caseActs(caseId, CASE_ACT_LIMIT)
  const acts = found.cases.get(caseId.toString('hex'))
  if (acts === undefined) return await refuse(errors.KEN_ERR_TERM_CASE_UNKNOWN, 'caseId')
  const current = foldCase(acts)
  if (name === 'refer' && !/^\d{6}$/.test(q.municipalityCode)) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'municipalityCode')
  const next: CaseStep = name === 'investigate'
    ? { kind: 'investigate', at, by }
    : name === 'refer'
      ? { kind: 'refer', at, by, municipalityCode: q.municipalityCode }
      : name === 'updated'
        ? { kind: 'updated', at, by, position: q.position }
        : { kind: 'close', at, by, outcome: q.corrected ? 'corrected' : 'not-corrected', reason: q.text }
  let folded: CorrectionCase
  try {
    folded = applyStep(current, next)
  } catch (err) {
    if (isKenError(err) && err.code === 'KEN_ERR_FORM_INPUT') return await refuse(errors.KEN_ERR_TERM_CASE_STEP, 'kind')
    throw err
  }
  if (next.kind === 'updated' && !await fixesTheCase(ctx, acts, next.position)) return await refuse(errors.KEN_ERR_TERM_UPDATE_MISMATCH, 'position')
  const position = await recordAct(ctx, {
    ...base,
    note: `${note}${next.kind === 'refer' ? ` municipality=${next.municipalityCode}` : ''}${next.kind === 'close' ? ` outcome=${next.outcome}` : ''}`,
    ...(next.kind === 'updated' ? { toPosition: next.position } : {}),
    ...(next.kind === 'close' && q.text !== '' ? { detail: detail({ reason: q.text, reference: q.reference }) } : {})
  })
  return { logPosition: position, corrections: { cases: [caseInfo(caseId.toString('hex'), folded, [...acts.map((a) => a.position), position], ctx.clock())] } }
}

/** The case's open cases (by age, oldest first) or every case, or one case with its steps. */
export async function listCorrections (ctx: TerminalContext, actor: Actor, q: CorrectionQuery): Promise<Answer> {
  const purpose = await checkPurpose(ctx, actor, 'correction.list', q.purpose)
  if (!isPurpose(purpose)) return purpose
  const base = { kind: 'correction.list', ...actorFields(actor), purpose: purpose.code }
  const note = `card=${cardOf(actor.account)}`
  if (purpose.code !== CORRECTION_PURPOSE) return refusal(errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, 'purpose', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED.code, note }))
  if (q.caseId !== '' && !CASE_ID.test(q.caseId)) return refusal(errors.KEN_ERR_TERM_CASE_UNKNOWN, 'caseId', await recordAct(ctx, { ...base, refused: true, reasonCode: errors.KEN_ERR_TERM_CASE_UNKNOWN.code, note }))
  const found = await ctx.store.caseActs(q.caseId === '' ? undefined : Buffer.from(q.caseId, 'hex'), CASE_ACT_LIMIT)
  const now = ctx.clock()
  const folded = new Map([...found.cases].map(([id, acts]) => [id, { c: foldCase(acts), positions: acts.map((a) => a.position) }]))
  const order = q.openOnly
    ? openCasesByAge(new Map([...folded].flatMap(([id, f]) => f.c === undefined ? [] : [[id, f.c] as const])), jstDateOf(now)).map((o) => o.id)
    : [...folded.keys()].sort((a, b) => (folded.get(a)?.positions[0] ?? 0) - (folded.get(b)?.positions[0] ?? 0))
  const cases = order.flatMap((id) => { const f = folded.get(id); return f === undefined ? [] : [caseInfo(id, f.c, f.positions, now)] })
  const position = await recordAct(ctx, { ...base, count: cases.length, note: `${note}${q.caseId === '' ? (q.openOnly ? ' open' : ' all') : ` case=${q.caseId}`}${found.truncated ? ' truncated' : ''}` })
  return { logPosition: position, corrections: { cases } }
}

/** The case as the fold of its acts (each was checked against the fold when it was recorded). */
function foldCase (acts: readonly LogRecord[]): CorrectionCase | undefined {
  let c: CorrectionCase | undefined
  for (const r of acts) {
    const act = r.entry.act
    if (act == null) continue
    const at = r.entry.recordedAt
    const by = act.actor
    const kind = act.kind.slice('correction.'.length)
    const s: CaseStep | undefined = kind === 'receive'
      ? { kind, at, by }
      : kind === 'investigate'
        ? { kind, at, by }
        : kind === 'refer'
          ? { kind, at, by, municipalityCode: /municipality=(\d{6})/.exec(act.note)?.[1] ?? '' }
          : kind === 'updated'
            ? { kind, at, by, position: act.toPosition }
            : kind === 'close'
              // The reason is sealed in the act's detail; the fold needs only that one was given.
              ? { kind, at, by, outcome: act.note.includes('outcome=corrected') ? 'corrected' : 'not-corrected', reason: 'sealed' }
              : undefined
    if (s !== undefined) c = applyStep(c, s)
  }
  return c
}

/**
 * A4.6: the update that fixed the case is an accepted 本人確認情報 update of the case's resident (the
 * receipt's subject, also when it came under a new 住民票コード) made after the receipt.
 */
async function fixesTheCase (ctx: TerminalContext, acts: readonly LogRecord[], position: number): Promise<boolean> {
  const receipt = acts[0]
  const subject = receipt?.entry.act?.subjects[0]
  if (receipt === undefined || subject === undefined || !Number.isSafeInteger(position) || position <= receipt.position) return false
  const update = (await ctx.store.entryAt(position))?.entry.update
  if (update == null || update.status !== ResultStatus.ACCEPTED || update.kind !== LogUpdateKind.IDENTITY || update.effect == null) return false
  const s = Buffer.from(subject)
  return s.equals(update.effect.subject) || (update.effect.retiredSubject.length > 0 && s.equals(update.effect.retiredSubject))
}

function caseInfo (caseId: string, c: CorrectionCase | undefined, positions: readonly number[], now: Date): CorrectionCaseInfo {
  const day = (iso: string): number => Math.floor(Date.parse(iso.slice(0, 10)) / 86_400_000)
  return {
    caseId,
    state: c?.state ?? '',
    receivedAt: c?.receivedAt ?? '',
    daysOpen: c === undefined || c.receivedAt === '' ? 0 : Math.max(0, day(jstDateOf(now)) - day(jstDateOf(new Date(c.receivedAt)))),
    municipalityCode: c?.municipalityCode ?? '',
    fixedAt: c?.fixedAt ?? 0,
    outcome: c?.outcome ?? '',
    steps: (c?.steps ?? []).map((s, i) => ({ kind: s.kind, at: s.at, by: s.by, logPosition: positions[i] ?? 0 }))
  }
}
