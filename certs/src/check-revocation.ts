/**
 * Revocation step (RFC 5280 §6.3.3), for every certificate on the path below the trust anchor —
 * the leaf against the issuing CA's CRL, the issuing CA against the root's (as node:tls does with
 * CRL_CHECK_ALL). The CRL must come from the certificate's issuer — same name (§6.3.3(b)) and
 * signed by the key that signed the certificate (§6.3.3(f)) — and be current: past its nextUpdate
 * it is stale (§6.3.3(a)(2)), a hard failure unless the verifier was configured to warn. A serial
 * on the list is revoked whatever the reason, certificateHold included.
 */
import { errors } from './errors.ts'
import { bytesEqual } from './der.ts'
import { nameDer } from './names.ts'
import type { VerifyContext, VerifierConfig } from './verify-context.ts'

/** Throws KEN_ERR_CRL_UNAVAILABLE, KEN_ERR_CRL_STALE or KEN_ERR_CERT_REVOKED. */
export function checkRevocation (ctx: VerifyContext, cfg: VerifierConfig): void {
  const crls = cfg.crl.current()
  for (let depth = 0; depth + 1 < ctx.path.length; depth++) {
    const cert = ctx.path[depth]
    const issuer = ctx.path[depth + 1]
    if (cert === undefined || issuer === undefined) continue
    const what = depth === 0 ? 'certificate' : 'intermediate CA'
    const issuerName = nameDer(cert.cert.issuer)
    const crl = crls.find((c) => bytesEqual(c.issuerDer, issuerName) && c.signerSpkiSha256 === issuer.spkiSha256)
    if (crl === undefined) throw errors.KEN_ERR_CRL_UNAVAILABLE(`none from ${cert.issuer}`)
    if (ctx.now > crl.nextUpdate) {
      const stale = errors.KEN_ERR_CRL_STALE(`${crl.issuer}: nextUpdate ${crl.nextUpdate.toISOString()}`)
      if (cfg.staleCrl === 'fail') throw stale
      cfg.onWarning(stale)
    }
    const entry = crl.revoked.get(cert.serialHex)
    if (entry !== undefined) throw errors.KEN_ERR_CERT_REVOKED(`${what}, reason ${entry.reason} since ${entry.revokedAt.toISOString()}`)
  }
}
