/**
 * The certificate verifier used by the gateway for CS links and by the operator terminal:
 * a named list of steps run in series — path and signatures, validity, CA constraints,
 * end-entity usage, revocation — then the identity. Every refusal is a KenError with its own
 * code (errors.ts); nothing is accepted by default. Settings are validated once, here, and frozen.
 */
import type { KenError } from '../../proto/src/ken-error.ts'
import { errors } from './errors.ts'
import { readCertificate } from './certificate-facts.ts'
import type { CrlSource } from './crl-load.ts'
import { parseCertificates, type CertificateInput } from './trust-material.ts'
import { extractIdentity, type ExpectedKind, type IdentityFor } from './identity.ts'
import { isValidMunicipalityCode, isOperatorRole, type OperatorRole } from './identity-names.ts'
import type { VerifierConfig, VerifyContext, VerifyStep } from './verify-context.ts'
import { checkPath } from './check-path.ts'
import { checkValidity } from './check-validity.ts'
import { checkCaConstraints } from './check-ca-constraints.ts'
import { checkLeafUsage } from './check-leaf-usage.ts'
import { checkRevocation } from './check-revocation.ts'

/** Options of {@link createVerifier}. */
export interface VerifierOptions<E extends ExpectedKind> {
  /** The root CA certificate(s) to trust: PEM text or DER. */
  readonly trustAnchors: CertificateInput
  /** Intermediate CA certificates to build paths with (the issuing CA). */
  readonly intermediates?: CertificateInput
  /** Where the CRL in force comes from — a {@link CrlStore} or any {@link CrlSource}. */
  readonly crl: CrlSource
  /** The verification clock (default: system time). */
  readonly clock?: () => Date
  /** What a CRL past its nextUpdate means: refuse (default) or accept with a warning. */
  readonly staleCrl?: 'fail' | 'warn'
  /** Which kind of certificate this verifier accepts. */
  readonly expect: E
  /** CS only: the municipality codes configured for this prefecture. */
  readonly allowedMunicipalities?: ReadonlySet<string>
  /** Operators only: the roles accepted here. */
  readonly allowedRoles?: ReadonlySet<OperatorRole>
  /** Longest chain of intermediates to try (default 2). */
  readonly maxIntermediates?: number
  /** Receives warnings such as KEN_ERR_CRL_STALE in 'warn' mode. */
  readonly onWarning?: (warning: KenError) => void
}

/** A configured verifier. */
export interface Verifier<E extends ExpectedKind> {
  /**
   * Verify a certificate presented by a peer; `chainDer` is whatever else the peer sent (untrusted,
   * used only to build the path). Resolves to the peer's identity or rejects with a coded KenError.
   */
  verify (leafDer: Uint8Array, chainDer?: readonly Uint8Array[]): Promise<IdentityFor<E>>
}

/** The steps, in order. */
export const VERIFY_STEPS: readonly VerifyStep[] = [checkPath, checkValidity, checkCaConstraints, checkLeafUsage, checkRevocation]

function resolve<E extends ExpectedKind> (opts: VerifierOptions<E>): VerifierConfig {
  if (!['cs', 'operator', 'server'].includes(opts.expect)) throw errors.KEN_ERR_PKI_USAGE('expect must be cs, operator or server', { field: 'expect' })
  const anchors = parseCertificates(opts.trustAnchors, 'trustAnchors')
  if (anchors.length === 0) throw errors.KEN_ERR_CERT_MALFORMED('no trust anchor configured', { field: 'trustAnchors' })
  for (const code of opts.allowedMunicipalities ?? []) {
    if (!isValidMunicipalityCode(code)) throw errors.KEN_ERR_PKI_BAD_MUNICIPALITY_CODE(code, { field: 'allowedMunicipalities' })
  }
  for (const role of opts.allowedRoles ?? []) {
    if (!isOperatorRole(role)) throw errors.KEN_ERR_PKI_BAD_ROLE(undefined, { field: 'allowedRoles' })
  }
  const staleCrl = opts.staleCrl ?? 'fail'
  if (staleCrl !== 'fail' && staleCrl !== 'warn') throw errors.KEN_ERR_PKI_USAGE('staleCrl must be fail or warn', { field: 'staleCrl' })
  const maxIntermediates = opts.maxIntermediates ?? 2
  if (!Number.isInteger(maxIntermediates) || maxIntermediates < 0 || maxIntermediates > 8) throw errors.KEN_ERR_PKI_USAGE('maxIntermediates must be 0..8', { field: 'maxIntermediates' })
  return Object.freeze({
    anchors,
    intermediates: parseCertificates(opts.intermediates, 'intermediates'),
    crl: opts.crl,
    clock: opts.clock ?? (() => new Date()),
    staleCrl,
    expect: opts.expect,
    allowedMunicipalities: opts.allowedMunicipalities === undefined ? undefined : new Set(opts.allowedMunicipalities),
    allowedRoles: opts.allowedRoles === undefined ? undefined : new Set(opts.allowedRoles),
    maxIntermediates,
    onWarning: opts.onWarning ?? (() => {})
  })
}

/** Build a verifier; throws a coded KenError when the options are unusable. */
export function createVerifier<E extends ExpectedKind> (opts: VerifierOptions<E>): Verifier<E> {
  const cfg = resolve(opts)
  return {
    async verify (leafDer, chainDer = []) {
      const leaf = readCertificate(leafDer)
      const peerChain = chainDer.map((der) => readCertificate(der))
      const ctx: VerifyContext = { leaf, candidates: [...cfg.intermediates, ...peerChain], now: cfg.clock(), path: [] }
      for (const step of VERIFY_STEPS) await step(ctx, cfg)
      return extractIdentity(opts.expect, leaf, cfg)
    }
  }
}
