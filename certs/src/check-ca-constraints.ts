/**
 * CA step (RFC 5280 §6.1.4): every certificate that issued another on the path must be a CA —
 * basicConstraints cA TRUE (§6.1.4(k)), keyUsage asserting keyCertSign (§6.1.4(n)), no
 * unprocessed critical extension (§6.1.4(o)) — and no CA may have more non-self-issued
 * intermediates below it than its pathLenConstraint allows (§6.1.4(l)(m)). The trust anchor's own
 * constraints are enforced too, as openssl does: this PKI's root says pathLen 1.
 */
import { errors } from './errors.ts'
import type { VerifyContext } from './verify-context.ts'

/** Throws KEN_ERR_CERT_NOT_A_CA, KEN_ERR_CERT_WRONG_KEY_USAGE, KEN_ERR_CERT_PATH_TOO_LONG or KEN_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION. */
export function checkCaConstraints (ctx: VerifyContext): void {
  for (let depth = 1; depth < ctx.path.length; depth++) {
    const ca = ctx.path[depth]
    if (ca === undefined) continue
    if (ca.basicConstraints?.ca !== true) throw errors.KEN_ERR_CERT_NOT_A_CA(ca.subject)
    if (ca.keyUsage !== undefined && !ca.keyUsage.has('keyCertSign')) throw errors.KEN_ERR_CERT_WRONG_KEY_USAGE(`${ca.subject} lacks keyCertSign`)
    const [critical] = ca.unknownCritical
    if (critical !== undefined) throw errors.KEN_ERR_CERT_UNKNOWN_CRITICAL_EXTENSION(critical)
    const below = depth - 1 // intermediates between this CA and the leaf
    const limit = ca.basicConstraints.pathLen
    if (limit !== undefined && below > limit) throw errors.KEN_ERR_CERT_PATH_TOO_LONG(`${ca.subject} allows ${limit}`)
  }
}
