/**
 * Validity step (RFC 5280 §6.1.3(a)(2)): every certificate on the path, the trust anchor included,
 * must be valid at the verification time — notBefore ≤ now ≤ notAfter, both inclusive (§4.1.2.5).
 * The leaf is checked first, so the reason names the certificate presented when it is at fault.
 */
import { errors } from './errors.ts'
import type { VerifyContext } from './verify-context.ts'

/** Throws KEN_ERR_CERT_NOT_YET_VALID or KEN_ERR_CERT_EXPIRED. */
export function checkValidity (ctx: VerifyContext): void {
  for (const [depth, c] of ctx.path.entries()) {
    const where = depth === 0 ? 'certificate' : depth === ctx.path.length - 1 ? 'trust anchor' : 'intermediate CA'
    if (ctx.now < c.notBefore) throw errors.KEN_ERR_CERT_NOT_YET_VALID(`${where} valid from ${c.notBefore.toISOString()}`)
    if (ctx.now > c.notAfter) throw errors.KEN_ERR_CERT_EXPIRED(`${where} expired ${c.notAfter.toISOString()}`)
  }
}
