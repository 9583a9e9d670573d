/**
 * CRL reason codes (RFC 5280 §5.3.1). removeFromCRL (8) belongs to delta CRLs, which this CA does
 * not issue, so it cannot be chosen; `unspecified` is written by omitting the reasonCode entry
 * extension, as §5.3.1 asks ("SHOULD be absent instead of using the unspecified (0) reasonCode").
 */

/** Reason names and their CRLReason ENUMERATED values. */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  privilegeWithdrawn: 9,
  aACompromise: 10
} as const

/** A revocation reason name. */
export type RevocationReason = keyof typeof REVOCATION_REASONS

/** True when `s` names a reason this CA writes. */
export function isRevocationReason (s: string): s is RevocationReason {
  return Object.hasOwn(REVOCATION_REASONS, s)
}

/** The reason name for a CRLReason value; `unspecified` for values this CA does not write. */
export function reasonName (code: number): RevocationReason {
  for (const [name, value] of Object.entries(REVOCATION_REASONS)) if (value === code) return name as RevocationReason
  return 'unspecified'
}
