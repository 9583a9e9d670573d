/**
 * The prior approval of a bulk provision (一括提供; requirements A5.2: "大量のデータ出力(一括提供方式)
 * に際しては、事前に管理責任者の承認" — the approval ID in hand before the job runs, logged with it).
 * The approval is itself an act (terminal.bulk.approve) and its log position is the approval ID: it
 * cannot be forged or edited, and the run that uses it names it in from_position. Its terms are the
 * act's clear note (codes and a public key only, no personal data), parsed back here.
 */
import type { LogAct } from '../../../../proto/src/types.ts'
import type { TerminalContext } from './context.ts'

export const APPROVE_KIND = 'terminal.bulk.approve'
export const RUN_KIND = 'terminal.bulk.run'

/** The terms of an approval, as recorded. */
export interface ApprovalTerms {
  readonly id: number
  readonly approver: string
  readonly requester: string
  readonly recipient: string
  readonly recipientKey: string
  readonly purpose: string
  readonly expected: number
  /** Last day of use, YYYY-MM-DD (Japan). */
  readonly expires: string
}

/** The note of an approval act (≤ 256 characters: codes, a date and a 62-character age key). */
export function approvalNote (t: Omit<ApprovalTerms, 'id' | 'approver' | 'purpose'>, reason: string): string {
  return `requester=${t.requester} recipient=${t.recipient} expected=${t.expected} expires=${t.expires} key=${t.recipientKey} ref=${reason.slice(0, 32).replace(/\s/g, '_')}`
}

function field (note: string, name: string): string {
  return new RegExp(`(?:^| )${name}=(\\S*)`).exec(note)?.[1] ?? ''
}

/** The approval recorded at `id`, or undefined (no such act, another kind, or a refused approval). */
export async function readApproval (ctx: TerminalContext, id: number): Promise<ApprovalTerms | undefined> {
  if (!Number.isSafeInteger(id) || id < 1 || id > ctx.store.head().position) return undefined
  let act: LogAct | undefined
  for await (const r of ctx.store.entries(id, id)) act = r.entry.act ?? undefined
  if (act === undefined || act.kind !== APPROVE_KIND || act.refused) return undefined
  return {
    id,
    approver: act.actor,
    requester: field(act.note, 'requester'),
    recipient: field(act.note, 'recipient'),
    recipientKey: field(act.note, 'key'),
    purpose: act.purpose,
    expected: Number(field(act.note, 'expected')),
    expires: field(act.note, 'expires')
  }
}

/**
 * True when a run that was not refused names the approval: each approval serves one job. Runs come
 * after their approval, so only the entries since it are read (an approval lives ≤ 90 days).
 */
export async function isApprovalUsed (ctx: TerminalContext, id: number): Promise<boolean> {
  for await (const r of ctx.store.entries(id + 1)) {
    const a = r.entry.act
    if (a != null && a.kind === RUN_KIND && !a.refused && a.fromPosition === id) return true
  }
  return false
}

/** Today in Japan (UTC+9, no DST), YYYY-MM-DD. */
export function japanDate (now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10)
}
