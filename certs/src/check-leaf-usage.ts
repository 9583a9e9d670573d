/**
 * End-entity step: the presented certificate must be an end entity (not a CA, §4.2.1.9), its
 * keyUsage must be present and assert digitalSignature — what a TLS 1.3 ECDSA peer does — and no
 * certificate-signing bit (§4.2.1.3), its extKeyUsage must be present and name the purpose the
 * verifier expects (§4.2.1.12: clientAuth for CS and operators, serverAuth for servers;
 * anyExtendedKeyUsage is not accepted), and it may carry no unprocessed critical extension (§4.2).
 */
import { errors } from './errors.ts'
import { EKU } from './oids.ts'
import type { VerifyContext, VerifierConfig } from './verify-context.ts'

/** The EKU each kind of peer must carry. */
export const EXPECTED_EKU = { cs: EKU.clientAuth, operator: EKU.clientAuth, server: EKU.serverAuth } as const

/** Throws KEN_ERR_CERT_LEAF_IS_CA, KEN_ERR_CERT_WRONG_KEY_USAGE, KEN_ERR_CERT_WRONG_EKU or KEN_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION. */
export function checkLeafUsage (ctx: VerifyContext, cfg: VerifierConfig): void {
  const leaf = ctx.leaf
  const [critical] = leaf.unknownCritical
  if (critical !== undefined) throw errors.KEN_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION(critical)
  if (leaf.basicConstraints?.ca === true) throw errors.KEN_ERR_CERT_LEAF_IS_CA()
  const ku = leaf.keyUsage
  if (ku === undefined || !ku.has('digitalSignature') || ku.has('keyCertSign') || ku.has('cRLSign')) {
    throw errors.KEN_ERR_CERT_WRONG_KEY_USAGE(ku === undefined ? 'no keyUsage' : [...ku].join('|'))
  }
  const wanted = EXPECTED_EKU[cfg.expect]
  if (leaf.extKeyUsage === undefined || !leaf.extKeyUsage.includes(wanted)) {
    throw errors.KEN_ERR_CERT_WRONG_EKU(`${cfg.expect} needs ${wanted === EKU.clientAuth ? 'clientAuth' : 'serverAuth'}`)
  }
}
