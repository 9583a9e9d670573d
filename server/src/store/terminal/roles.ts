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
export type Capability = 'resident' | 'account-manage' | 'account-approve' | 'account-read' | 'unreported-read' | 'deletion-request' | 'deletion-approve'

const GRANTS: Readonly<Record<Role, readonly Capability[]>> = {
  // Only operators read residents, and only within their approved purposes (A1.6 minimum rights).
  operator: ['resident'],
  // 拠点管理者: the users of their own branch (A1.8).
  'branch-admin': ['account-manage', 'account-read'],
  // システム管理者: all users; the second administrator who approves (A1.7, A1.12).
  // SPEC §2.5: a 物理削除 is requested by a system administrator and approved by a security officer.
  'system-admin': ['account-manage', 'account-approve', 'account-read', 'unreported-read', 'deletion-request'],
  'security-officer': ['account-read', 'unreported-read', 'deletion-approve'],
  auditor: ['account-read'],
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
