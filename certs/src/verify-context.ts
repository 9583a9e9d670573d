/**
 * The state one verification passes through its steps, and the verifier's resolved settings.
 * Each step reads what earlier steps established and either returns or throws a coded KenError.
 */
import type { KenError } from '../../proto/src/ken-error.ts'
import type { CertificateFacts } from './certificate-facts.ts'
import type { CrlSource } from './crl-load.ts'
import type { ExpectedKind } from './identity.ts'
import type { OperatorRole } from './identity-names.ts'

/** The verifier's settings after validation, frozen. */
export interface VerifierConfig {
  readonly anchors: readonly CertificateFacts[]
  readonly intermediates: readonly CertificateFacts[]
  readonly crl: CrlSource
  readonly clock: () => Date
  readonly staleCrl: 'fail' | 'warn'
  readonly expect: ExpectedKind
  readonly allowedMunicipalities: ReadonlySet<string> | undefined
  readonly allowedRoles: ReadonlySet<OperatorRole> | undefined
  readonly maxIntermediates: number
  readonly onWarning: (warning: KenError) => void
}

/** One verification in progress. */
export interface VerifyContext {
  readonly leaf: CertificateFacts
  /** Certificates that may serve as intermediates: configured ones first, then the peer's (untrusted). */
  readonly candidates: readonly CertificateFacts[]
  /** The verification time, read once from the clock. */
  readonly now: Date
  /** leaf, intermediates…, trust anchor — set by the path step. */
  path: readonly CertificateFacts[]
}

/** One named check. */
export type VerifyStep = (ctx: VerifyContext, cfg: VerifierConfig) => void | Promise<void>
