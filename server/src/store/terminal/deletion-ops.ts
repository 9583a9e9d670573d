/**
 * 物理削除 through the terminal (SPEC §2.5, requirements E5, H24; issue 17 item 3): a system
 * administrator files the municipality's request with its reference; a security officer who is not
 * the requester approves, and only then the store destroys every key of the person
 * (Store#eraseResident, whose administrative entry names requester, approver and reference — never
 * the content). Every step and every refusal is an act; none carries the person's data in clear
 * (the filing's 住民票コード is a blind index only).
 */
import { DeletionAction, type DeletionOp, type TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { isKenError } from '../../../../proto/src/ken-error.ts'
import { actorFields, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import type { DeletionDesk } from './deletion-desk.ts'
import { errors } from './errors.ts'
import { may } from './roles.ts'

type Answer = Partial<TerminalResponse>

const JUMINHYO = /^[0-9]{11}$/
// A municipality's document number: letters, digits, a few separators; no names (checked shape only).
const REFERENCE = /^[\p{L}\p{N}][\p{L}\p{N} _./()#-]{0,63}$/u

const KINDS: Readonly<Record<number, string>> = {
  [DeletionAction.FILE]: 'terminal.deletion.request',
  [DeletionAction.APPROVE]: 'terminal.deletion.approve',
  [DeletionAction.REJECT]: 'terminal.deletion.reject',
  [DeletionAction.LIST]: 'terminal.deletion.list'
}

export async function deletionOp (ctx: TerminalContext, desk: DeletionDesk, actor: Actor, q: DeletionOp): Promise<Answer> {
  const kind = KINDS[q.action] ?? 'terminal.deletion.request'
  const me = actor.account
  const refuse = async (error: ErrorFactory, field: string, note: string, codes: string[] = []): Promise<Answer> =>
    refusal(error, field, await recordAct(ctx, { kind, ...actorFields(actor), refused: true, reasonCode: error.code, note, juminhyoCodes: codes }))
  if (KINDS[q.action] === undefined) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'action', '')
  if (!may(me.role, 'deletion-request') && !may(me.role, 'deletion-approve')) return await refuse(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, 'role', '')
  const now = ctx.clock().toISOString()

  if (q.action === DeletionAction.LIST) {
    const requests = desk.list()
    return { logPosition: await recordAct(ctx, { kind, ...actorFields(actor), count: requests.length }), deletions: { requests } }
  }

  if (q.action === DeletionAction.FILE) {
    const reference = q.reference.trim()
    const code = JUMINHYO.test(q.juminhyoCode) ? [q.juminhyoCode] : []
    if (!may(me.role, 'deletion-request')) return await refuse(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, 'role', '', code)
    // H24: no request without the municipality's request reference.
    if (!REFERENCE.test(reference)) return await refuse(errors.KEN_ERR_TERM_DELETION_REFERENCE, 'reference', '', code)
    if (code.length === 0) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'juminhyoCode', `reference=${reference}`)
    if (await ctx.store.getCurrent(q.juminhyoCode) === undefined) return await refuse(errors.KEN_ERR_TERM_UNKNOWN_RESIDENT, 'juminhyoCode', `reference=${reference}`, code)
    const id = desk.newId()
    const position = await recordAct(ctx, { kind, ...actorFields(actor), note: `request=${id} reference=${reference}`, juminhyoCodes: code })
    desk.add({ id, reference, requestedBy: me.id, requestedAt: now, requestPosition: position, juminhyoCode: q.juminhyoCode, status: 'pending', decidedBy: '', decidedAt: '', erasurePosition: 0, keys: 0 })
    return { logPosition: position, deletions: { requests: desk.list().filter((r) => r.requestId === id) } }
  }

  const request = desk.pending(q.requestId)
  if (request === undefined) return await refuse(errors.KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST, 'requestId', `request=${q.requestId.slice(0, 16)}`)
  const about = `request=${request.id} reference=${request.reference} requester=${request.requestedBy}`
  // SPEC §2.5: a second person approves — never the requester, whatever their role.
  if (request.requestedBy === me.id) return await refuse(errors.KEN_ERR_TERM_DELETION_SAME_PERSON, 'approver', about)
  if (!may(me.role, 'deletion-approve')) return await refuse(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, 'role', about)

  if (q.action === DeletionAction.REJECT) {
    const position = await recordAct(ctx, { kind, ...actorFields(actor), approver: me.id, fromPosition: request.requestPosition, note: `${about} ${q.reason.slice(0, 64)}`.trim() })
    desk.decide(request, { status: 'rejected', by: me.id, at: now })
    return { logPosition: position, deletions: { requests: desk.list().filter((r) => r.requestId === request.id) } }
  }

  let erased: { head: { position: number }, keys: number }
  try {
    erased = await ctx.store.eraseResident(request.juminhyoCode, { actor: request.requestedBy, approver: me.id, note: `reference=${request.reference} request=${request.id}` })
  } catch (err) {
    // The person is no longer in the file (erased by another request meanwhile): refused, recorded, request closed.
    if (!isKenError(err) || (err.code !== 'KEN_ERR_STORE_UNKNOWN_RESIDENT' && err.code !== 'KEN_ERR_STORE_KEY_UNKNOWN')) throw err
    const answer = await refuse(errors.KEN_ERR_TERM_UNKNOWN_RESIDENT, 'requestId', about)
    desk.decide(request, { status: 'rejected', by: me.id, at: now })
    return answer
  }
  const position = await recordAct(ctx, {
    kind, ...actorFields(actor), approver: me.id, count: erased.keys, fromPosition: request.requestPosition, toPosition: erased.head.position, note: about
  })
  desk.decide(request, { status: 'erased', by: me.id, at: now, erasurePosition: erased.head.position, keys: erased.keys })
  return { logPosition: position, deletions: { requests: desk.list().filter((r) => r.requestId === request.id) } }
}
