/**
 * The roles of SPEC §6 (A1.15) and what each may do on the terminal socket: default deny — an op
 * not listed for a role is refused (KEN_ERR_TERM_ROLE_FORBIDDEN) and the refusal recorded.
 */
export const ROLES = ['operator', 'branch-admin', 'system-admin', 'security-officer', 'auditor', 'technician'] as const
export type Role = typeof ROLES[number]

export function isRole (s: string): s is Role {
  return (ROLES as readonly string[]).includes(s)
}

/** The capabilities the terminal socket checks. */
export type Capability = 'resident' | 'account-manage' | 'account-approve' | 'account-read' | 'unreported-read' | 'deletion-request' | 'deletion-approve' | ReportCapability

/**
 * Issue 14 items 3–5: bulk-run is an export, so only roles with 管理権限 hold it (A5.7, H13); its
 * approval comes from a system administrator (A5.2 管理責任者/システム管理者); the review is the
 * auditor's and the security officer's (A7.6), who never hold 'resident'.
 */
export type ReportCapability = 'bulk-run' | 'bulk-approve' | 'statistics' | 'review'

const GRANTS: Readonly<Record<Role, readonly Capability[]>> = {
  // Only operators read residents, and only within their approved purposes (A1.6 minimum rights).
  operator: ['resident'],
  // 拠点管理者: the users of their own branch (A1.8).
  'branch-admin': ['account-manage', 'account-read', 'bulk-run', 'statistics'],
  // システム管理者: all users; the second administrator who approves (A1.7, A1.12).
  // SPEC §2.5: a 物理削除 is requested by a system administrator and approved by a security officer.
  'system-admin': ['account-manage', 'account-approve', 'account-read', 'unreported-read', 'deletion-request', 'bulk-run', 'bulk-approve', 'statistics'],
  'security-officer': ['account-read', 'unreported-read', 'deletion-approve', 'statistics', 'review'],
  auditor: ['account-read', 'statistics', 'review'],
  // SPEC §7: a technician has no access to residents at all.
  technician: []
}

export function may (role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability)
}

/**
 * The role carried in the operator certificate (certs/src/identity-names.ts OPERATOR_ROLES) that an
 * account of each role must be bound to: a technician's credential never opens an operator account.
 */
export const CERTIFICATE_ROLE: Readonly<Record<Role, string>> = {
  operator: 'operator',
  'branch-admin': 'admin',
  'system-admin': 'admin',
  'security-officer': 'security',
  auditor: 'security',
  technician: 'technician'
}
