/**
 * Build a certification path from the leaf to a configured trust anchor (RFC 5280 §6.1, path
 * building per RFC 4158 in its simplest form): a certificate's issuer is a candidate whose subject
 * equals its issuer name (§6.1.3(a)(4)) and, when both carry key identifiers, whose
 * subjectKeyIdentifier equals its authorityKeyIdentifier (§4.2.1.1). Every link's signature is
 * verified (§6.1.3(a)(1)). Only configured anchors terminate a path: a self-signed certificate
 * supplied by the peer is never trusted.
 */
import { errors } from './errors.ts'
import type { CertificateFacts } from './certificate-facts.ts'
import { namesEqual } from './names.ts'
import { algorithmProblem, certificateSignedBy } from './signatures.ts'
import type { VerifyContext, VerifierConfig } from './verify-context.ts'

function mayHaveIssued (parent: CertificateFacts, child: CertificateFacts): boolean {
  if (!namesEqual(child.cert.issuer, parent.cert.subject)) return false
  return child.authorityKeyId === undefined || parent.subjectKeyId === undefined || child.authorityKeyId === parent.subjectKeyId
}

function isSelfIssued (c: CertificateFacts): boolean {
  return namesEqual(c.cert.issuer, c.cert.subject)
}

interface Search { badSignature: boolean }

async function signedBy (child: CertificateFacts, parent: CertificateFacts, search: Search): Promise<boolean> {
  const problem = algorithmProblem(child.cert.signatureAlgorithm, child.cert.signature)
  if (problem === 'unsupported') throw errors.KEN_ERR_CERT_UNSUPPORTED_ALGORITHM(child.cert.signatureAlgorithm.algorithmId)
  const ok = problem === undefined && await certificateSignedBy(child.cert, parent.cert)
  if (!ok) search.badSignature = true
  return ok
}

async function extend (cert: CertificateFacts, sofar: readonly CertificateFacts[], cfg: VerifierConfig, candidates: readonly CertificateFacts[], search: Search): Promise<CertificateFacts[] | undefined> {
  for (const anchor of cfg.anchors) {
    if (mayHaveIssued(anchor, cert) && await signedBy(cert, anchor, search)) return [...sofar, anchor]
  }
  if (sofar.length - 1 >= cfg.maxIntermediates) return undefined
  for (const next of candidates) {
    if (isSelfIssued(next) || sofar.some((c) => c.fingerprint256 === next.fingerprint256)) continue
    if (mayHaveIssued(next, cert) && await signedBy(cert, next, search)) {
      const found = await extend(next, [...sofar, next], cfg, candidates, search)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/** Path step: sets `ctx.path`, or throws KEN_ERR_CERT_BAD_SIGNATURE / KEN_ERR_CERT_UNKNOWN_CA. */
export async function checkPath (ctx: VerifyContext, cfg: VerifierConfig): Promise<void> {
  const search: Search = { badSignature: false }
  const path = await extend(ctx.leaf, [ctx.leaf], cfg, ctx.candidates, search)
  if (path !== undefined) {
    ctx.path = path
    return
  }
  if (search.badSignature) throw errors.KEN_ERR_CERT_BAD_SIGNATURE()
  throw errors.KEN_ERR_CERT_UNKNOWN_CA(ctx.leaf.issuer)
}
