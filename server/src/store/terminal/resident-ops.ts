/**
 * The acts on residents (SPEC §6): search, view, provision/transfer. Each runs only after the
 * session guard (service.ts) and the purpose check here; each — answered or refused — is one act in
 * the log, with the conditions, the residents and the items sealed or blind-indexed (A2.5, A3.5).
 */
import { ProvisionKind, type ProvisionRequest, type SearchQuery, type TerminalResponse, type ViewQuery } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { actorFields, cardOf, detail, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { errors } from './errors.ts'
import { findPurpose, findRecipient, ITEMS, type Item, type Purpose } from './purposes.ts'
import { nationalValues, pickItems, recordValues } from './record-items.ts'
import { runSearch, searchMode } from './search.ts'
import type { SessionRef } from './sessions.ts'

type Answer = Partial<TerminalResponse>

/**
 * SPEC §6: every act names a purpose; the account must hold it and its department must be approved
 * for it (A1.13, A3.3). Refusals are recorded like any act.
 */
export async function checkPurpose (ctx: TerminalContext, actor: Actor, kind: string, purposeCode: string): Promise<Purpose | Answer> {
  const purpose = findPurpose(ctx.registry, purposeCode)
  const approved = purpose !== undefined && actor.account.purposes.includes(purpose.code) && purpose.departments.includes(actor.account.department)
  if (purpose !== undefined && approved) return purpose
  const position = await recordAct(ctx, { kind, ...actorFields(actor), purpose: purposeCode.slice(0, 64), refused: true, reasonCode: errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED.code, note: `card=${cardOf(actor.account)}` })
  return refusal(errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, 'purpose', position)
}

export function isPurpose (p: Purpose | Answer): p is Purpose {
  return 'departments' in p
}

export async function search (ctx: TerminalContext, actor: Actor, q: SearchQuery): Promise<Answer> {
  const purpose = await checkPurpose(ctx, actor, 'terminal.search', q.purpose)
  if (!isPurpose(purpose)) return purpose
  const conditions = { juminhyoCode: q.juminhyoCode, kojinBango: q.kojinBango, name: q.name, address: q.address, birthDate: q.birthDate, sex: q.sex, fuzzy: q.fuzzy }
  const mode = searchMode(q)
  if (typeof mode !== 'string') {
    const position = await recordAct(ctx, { kind: 'terminal.search', ...actorFields(actor), purpose: purpose.code, refused: true, reasonCode: mode.error.code, note: `card=${cardOf(actor.account)}`, detail: detail({ conditions }) })
    return refusal(mode.error, mode.field, position)
  }
  const outcome = await runSearch(ctx, actor.session, purpose, q, mode)
  const note = [`card=${cardOf(actor.account)}`, `mode=${mode}`, q.fuzzy ? 'fuzzy' : 'exact', outcome.result.tooMany ? 'too-many' : '', outcome.result.national === '' ? '' : `national=${outcome.result.national}`].filter((s) => s !== '').join(' ')
  const position = await recordAct(ctx, {
    kind: 'terminal.search',
    ...actorFields(actor),
    purpose: purpose.code,
    count: outcome.matched,
    note,
    detail: detail({ conditions, hits: outcome.codes.length, matched: outcome.matched }),
    juminhyoCodes: outcome.codes
  })
  return { logPosition: position, search: outcome.result }
}

export async function view (ctx: TerminalContext, actor: Actor, q: ViewQuery): Promise<Answer> {
  const purpose = await checkPurpose(ctx, actor, 'terminal.view', q.purpose)
  if (!isPurpose(purpose)) return purpose
  const ref = actor.session.refs.get(q.ref)
  // A3.7: a record is opened for the purpose it was found for, by the session that found it.
  if (ref === undefined || ref.purpose !== purpose.code) {
    return refusal(errors.KEN_ERR_TERM_UNKNOWN_REF, 'ref', await recordAct(ctx, { kind: 'terminal.view', ...actorFields(actor), purpose: purpose.code, refused: true, reasonCode: errors.KEN_ERR_TERM_UNKNOWN_REF.code, note: `card=${cardOf(actor.account)}` }))
  }
  const values = await refValues(ctx, ref)
  if (values === undefined) {
    return refusal(errors.KEN_ERR_TERM_UNKNOWN_REF, 'ref', await recordAct(ctx, { kind: 'terminal.view', ...actorFields(actor), purpose: purpose.code, refused: true, reasonCode: errors.KEN_ERR_TERM_UNKNOWN_REF.code, note: `card=${cardOf(actor.account)}`, juminhyoCodes: [ref.juminhyoCode] }))
  }
  const position = await recordAct(ctx, {
    kind: 'terminal.view',
    ...actorFields(actor),
    purpose: purpose.code,
    count: 1,
    note: `card=${cardOf(actor.account)} ${ref.national === undefined ? 'local' : 'national'}`,
    detail: detail({ items: purpose.items }),
    juminhyoCodes: [ref.juminhyoCode]
  })
  return { logPosition: position, record: { ref: q.ref, items: pickItems(values.values, purpose.items), removed: values.removed } }
}

async function refValues (ctx: TerminalContext, ref: SessionRef): Promise<{ values: Record<Item, string>, removed: boolean } | undefined> {
  if (ref.national !== undefined) return { values: nationalValues(ref.national), removed: false }
  const r = await ctx.store.getCurrent(ref.juminhyoCode)
  return r === undefined ? undefined : { values: recordValues(r), removed: r.status === 'removed' }
}

const KIND_NAMES: Readonly<Record<number, 'teikyo' | 'iten'>> = { [ProvisionKind.TEIKYO]: 'teikyo', [ProvisionKind.ITEN]: 'iten' }

/** 提供・移転 (A3.5): recorded with purpose, recipient, records and items — refused attempts too. */
export async function provide (ctx: TerminalContext, actor: Actor, q: ProvisionRequest): Promise<Answer> {
  const purpose = await checkPurpose(ctx, actor, 'terminal.provide', q.purpose)
  if (!isPurpose(purpose)) return purpose
  const kind = KIND_NAMES[q.kind]
  const refs = q.refs.map((id) => actor.session.refs.get(id))
  const codes = refs.flatMap((r) => r === undefined ? [] : [r.juminhyoCode])
  const base = {
    kind: 'terminal.provide',
    ...actorFields(actor),
    purpose: purpose.code,
    count: codes.length,
    note: `card=${cardOf(actor.account)} ${kind ?? 'unknown'} recipient=${q.recipient.slice(0, 32)} channel=${q.channel.slice(0, 16)} items=${q.items.join(',').slice(0, 128)} ref=${q.reference.slice(0, 32)}`,
    detail: detail({ kind, recipient: q.recipient, items: q.items, channel: q.channel, reference: q.reference, records: codes }),
    juminhyoCodes: codes
  }
  const refuse = async (error: ErrorFactory, field: string): Promise<Answer> => refusal(error, field, await recordAct(ctx, { ...base, refused: true, reasonCode: error.code }))
  if (kind === undefined || q.refs.length === 0 || q.refs.length > ctx.options.resultCap || q.items.length === 0) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'provide')
  if (refs.some((r) => r === undefined || r.purpose !== purpose.code)) return await refuse(errors.KEN_ERR_TERM_UNKNOWN_REF, 'refs')
  const recipient = findRecipient(ctx.registry, q.recipient)
  if (recipient === undefined || recipient.kind !== kind || !recipient.purposes.includes(purpose.code)) return await refuse(errors.KEN_ERR_TERM_RECIPIENT, 'recipient')
  if (!(recipient.channels as readonly string[]).includes(q.channel)) return await refuse(errors.KEN_ERR_TERM_CHANNEL, 'channel')
  // SPEC §6: only the items the purpose may receive.
  if (q.items.some((item) => !Object.hasOwn(ITEMS, item) || !(purpose.items as readonly string[]).includes(item))) return await refuse(errors.KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE, 'items')
  return { logPosition: await recordAct(ctx, base) }
}
