/**
 * The console's menu entries of issue 14 items 3–5, by role (the store refuses the ops to any other
 * role anyway): statistics for administrators and reviewers, the review for auditors and the security
 * officer, bulk provision only for roles with 管理権限 (A5.7, H13: an operator sees no export).
 */
import { may, isRole } from '../../store/terminal/roles.ts'
import { h } from './html.ts'

export function reportLinks (role: string, w: { readonly statistics: string, readonly review: string, readonly bulk: string }): string {
  if (!isRole(role)) return ''
  return [
    may(role, 'statistics') ? `<a href="/statistics" id="nav-statistics">${h(w.statistics)}</a>` : '',
    may(role, 'review') ? `<a href="/review" id="nav-review">${h(w.review)}</a>` : '',
    may(role, 'bulk-run') || may(role, 'bulk-approve') ? `<a href="/bulk" id="nav-bulk">${h(w.bulk)}</a>` : ''
  ].filter((s) => s !== '').join('\n  ')
}
