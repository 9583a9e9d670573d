/**
 * 一括提供 (bulk provision; SPEC §6, requirements A5, H12, H13) on the terminal socket. Two acts:
 * - approve: a system administrator approves beforehand a request (requester, recipient and the
 *   recipient's age key, purpose, expected count, expiry); the act's log position is the approval ID.
 *   The approver is never the requester (A5.2: the 管理責任者's approval is a second person's).
 * - run: the requester (a role with 管理権限, A5.7) sends the conditions of the uploaded CSV with the
 *   approval ID; only when the approval exists, is not expired, not used, and matches (requester,
 *   purpose, row count ≤ expected) are the searches run, the result built, encrypted to the recipient
 *   (age, result-file.ts) and its output recorded as one act: records, rows, medium, SHA-256 (A5.3).
 * Every refusal is recorded like the acts (SPEC §6); nothing is searched before the approval holds.
 */
import type { BulkApproval, BulkConditionRow, BulkRun, SearchQuery, TerminalResponse } from '../../../../proto/src/types.ts'
import type { ErrorFactory } from '../../../../proto/src/ken-error.ts'
import { isIsoDate } from '../../domain/dates.ts'
import { writeCsv } from '../../terminal/bulk/csv.ts'
import { isAgeRecipient, sealResultFile } from '../../terminal/bulk/result-file.ts'
import { actorFields, cardOf, detail, recordAct, refusal, type Actor, type TerminalContext } from './context.ts'
import { APPROVE_KIND, approvalNote, isApprovalUsed, japanDate, readApproval, RUN_KIND } from './bulk-approval.ts'
import { errors } from './errors.ts'
import { findPurpose, findRecipient, ITEMS, type Purpose } from './purposes.ts'
import { recordValues } from './record-items.ts'
import { localMatches, searchMode } from './search.ts'
import { may } from './roles.ts'

type Answer = Partial<TerminalResponse>

/** The media a result file may go out on (A5.3 媒体; A3.9: media only through bulk provision). */
export const BULK_MEDIA = ['usb', 'dvd-r', 'cd-r', 'transfer-folder'] as const
/** An approval is for one job soon: at most this many days ahead. */
const MAX_APPROVAL_DAYS = 90
/** Conditions of one job at most (one request frame of the socket holds them). */
export const MAX_BULK_ROWS = 1000

const DAY_MS = 86_400_000
const REFERENCE = /^[A-Za-z0-9_/-]{0,32}$/

export async function approveBulk (ctx: TerminalContext, actor: Actor, q: BulkApproval): Promise<Answer> {
  const base = {
    kind: APPROVE_KIND, ...actorFields(actor), purpose: q.purpose.slice(0, 64), approver: actor.account.id, count: Math.min(q.expectedCount, MAX_BULK_ROWS),
    note: approvalNote({ requester: q.requester.slice(0, 16), recipient: q.recipient.slice(0, 32), recipientKey: q.recipientKey.slice(0, 64), expected: q.expectedCount, expires: q.expires.slice(0, 10) }, q.reason)
  }
  const refuse = async (error: ErrorFactory, field: string): Promise<Answer> => refusal(error, field, await recordAct(ctx, { ...base, refused: true, reasonCode: error.code }))
  const today = japanDate(ctx.clock())
  if (!REFERENCE.test(q.reason)) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'reason')
  if (!Number.isInteger(q.expectedCount) || q.expectedCount < 1 || q.expectedCount > MAX_BULK_ROWS) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'expectedCount')
  const latest = japanDate(new Date(ctx.clock().getTime() + MAX_APPROVAL_DAYS * DAY_MS))
  if (!isIsoDate(q.expires) || q.expires < today || q.expires > latest) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'expires')
  if (!isAgeRecipient(q.recipientKey)) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'recipientKey')
  const requester = ctx.accounts.get(q.requester)
  if (requester === undefined) return await refuse(errors.KEN_ERR_TERM_ACCOUNT_UNKNOWN, 'requester')
  // A5.2: the approval is a second person's; nobody approves their own export.
  if (requester.id === actor.account.id) return await refuse(errors.KEN_ERR_TERM_SAME_ADMINISTRATOR, 'requester')
  if (requester.status !== 'active' || requester.lockedOut) return await refuse(errors.KEN_ERR_TERM_ACCOUNT_STATE, 'requester')
  // A5.7, H13: only roles with 管理権限 export at all.
  if (!may(requester.role, 'bulk-run')) return await refuse(errors.KEN_ERR_TERM_ROLE_FORBIDDEN, 'requester')
  const purpose = findPurpose(ctx.registry, q.purpose)
  if (purpose === undefined || !requester.purposes.includes(purpose.code) || !purpose.departments.includes(requester.department)) return await refuse(errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, 'purpose')
  const recipient = findRecipient(ctx.registry, q.recipient)
  if (recipient === undefined || !recipient.purposes.includes(purpose.code)) return await refuse(errors.KEN_ERR_TERM_RECIPIENT, 'recipient')
  return { logPosition: await recordAct(ctx, base) }
}

/** Runs one at a time per service: an approval is checked and used without a race. */
const queues = new WeakMap<TerminalContext, Promise<unknown>>()

export async function runBulk (ctx: TerminalContext, actor: Actor, q: BulkRun): Promise<Answer> {
  const run = (queues.get(ctx) ?? Promise.resolve()).then(async () => await runOnce(ctx, actor, q))
  queues.set(ctx, run.catch(() => undefined))
  return await run
}

async function runOnce (ctx: TerminalContext, actor: Actor, q: BulkRun): Promise<Answer> {
  const card = cardOf(actor.account)
  const base = { kind: RUN_KIND, ...actorFields(actor), purpose: q.purpose.slice(0, 64), fromPosition: q.approvalId, count: 0 }
  const refuse = async (error: ErrorFactory, field: string): Promise<Answer> =>
    refusal(error, field, await recordAct(ctx, { ...base, refused: true, reasonCode: error.code, note: `approval=${q.approvalId} rows=${q.conditions.length} medium=${q.medium.slice(0, 16)} card=${card}` }))
  const purpose = findPurpose(ctx.registry, q.purpose)
  if (purpose === undefined || !actor.account.purposes.includes(purpose.code) || !purpose.departments.includes(actor.account.department)) return await refuse(errors.KEN_ERR_TERM_PURPOSE_NOT_APPROVED, 'purpose')
  if (!(BULK_MEDIA as readonly string[]).includes(q.medium)) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, 'medium')
  const approval = await readApproval(ctx, q.approvalId)
  if (approval === undefined) return await refuse(errors.KEN_ERR_TERM_BULK_NO_APPROVAL, 'approvalId')
  if (approval.expires < japanDate(ctx.clock())) return await refuse(errors.KEN_ERR_TERM_BULK_APPROVAL_EXPIRED, 'approvalId')
  if (approval.requester !== actor.account.id || approval.purpose !== purpose.code) return await refuse(errors.KEN_ERR_TERM_BULK_APPROVAL_MISMATCH, 'approvalId')
  if (q.conditions.length === 0 || q.conditions.length > approval.expected) return await refuse(errors.KEN_ERR_TERM_BULK_APPROVAL_MISMATCH, 'conditions')
  if (await isApprovalUsed(ctx, approval.id)) return await refuse(errors.KEN_ERR_TERM_BULK_APPROVAL_USED, 'approvalId')
  const queries = q.conditions.map(toQuery(purpose))
  const bad = queries.findIndex((x) => typeof searchMode(x) !== 'string')
  if (bad >= 0) return await refuse(errors.KEN_ERR_TERM_BAD_REQUEST, `conditions.${q.conditions[bad]?.row ?? bad + 1}`)

  const { csv, codes } = await resultRows(ctx, purpose, q.conditions, queries)
  const sealed = await sealResultFile(Buffer.from(csv, 'utf8'), approval.recipientKey)
  const position = await recordAct(ctx, {
    ...base,
    // A5.2: the approval is logged with the job: its ID (from_position) and who gave it.
    approver: approval.approver,
    count: codes.length,
    note: `approval=${approval.id} rows=${q.conditions.length} records=${codes.length} medium=${q.medium} recipient=${approval.recipient} sha256=${sealed.sha256} card=${card}`,
    // kind, recipient and items as a provision's detail has them: the person's 提供状況 (30条の32)
    // lists a bulk provision like any other (act-index.ts PROVISION_KINDS, disclosure-ops.ts).
    detail: detail({ kind: 'teikyo', recipient: approval.recipient, items: purpose.items, conditions: q.conditions, records: codes }),
    juminhyoCodes: codes
  })
  return { logPosition: position, bulk: { approvalId: approval.id, rows: q.conditions.length, records: codes.length, file: sealed.file, sha256: sealed.sha256, recipient: approval.recipient } }
}

function toQuery (purpose: Purpose): (c: BulkConditionRow) => SearchQuery {
  return (c) => ({ purpose: purpose.code, juminhyoCode: c.juminhyoCode, kojinBango: c.kojinBango, name: c.name, address: c.address, birthDate: c.birthDate, sex: c.sex, fuzzy: false })
}

/**
 * The plain result (照会結果ファイル, A5.1) as CSV: per condition its row number, the number of
 * persons found and, per person, the items the purpose may receive. A condition with more matches
 * than the terminal's cap answers "too-many" and no person, as a terminal search would (A2.6).
 */
async function resultRows (ctx: TerminalContext, purpose: Purpose, conditions: readonly BulkConditionRow[], queries: readonly SearchQuery[]): Promise<{ csv: string, codes: string[] }> {
  const header = ['行', '件数', '結果', ...purpose.items.map((i) => ITEMS[i])]
  const rows: string[][] = [header]
  const codes = new Set<string>()
  for (const [i, query] of queries.entries()) {
    const row = String(conditions[i]?.row ?? i + 1)
    const mode = searchMode(query)
    const found = typeof mode === 'string' ? await localMatches(ctx, query, mode) : []
    if (found === 'too-many' || found.length > ctx.options.resultCap) {
      rows.push([row, '', 'too-many'])
      continue
    }
    if (found.length === 0) rows.push([row, '0', 'none'])
    for (const r of found) {
      codes.add(r.juminhyoCode)
      const values = recordValues(r)
      rows.push([row, String(found.length), r.status === 'removed' ? 'removed' : 'found', ...purpose.items.map((item) => values[item])])
    }
  }
  return { csv: writeCsv(rows), codes: [...codes] }
}
