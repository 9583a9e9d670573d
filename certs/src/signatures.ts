/**
 * Signature checks shared by certificates and CRLs. Only ECDSA with SHA-256/384 is accepted
 * (RFC 5758 §3.2; this PKI issues nothing else — default deny), and the outer signatureAlgorithm
 * must equal the signature field inside the signed part (RFC 5280 §4.1.1.2 / §5.1.1.2), so an
 * attacker cannot swap the algorithm outside the signature's protection.
 */
import type { AlgorithmIdentifier, Certificate, CertificateRevocationList } from 'pkijs'
import { engine } from './engine.ts'
import { ALG } from './oids.ts'
import { bytesEqual } from './der.ts'

const ACCEPTED: ReadonlySet<string> = new Set([ALG.ecdsaWithSha256, ALG.ecdsaWithSha384])

/** Why a signature is not acceptable, or undefined when its algorithm fields are fine. */
export function algorithmProblem (outer: AlgorithmIdentifier, inner: AlgorithmIdentifier): 'unsupported' | 'mismatch' | undefined {
  if (!ACCEPTED.has(outer.algorithmId)) return 'unsupported'
  return bytesEqual(new Uint8Array(outer.toSchema().toBER()), new Uint8Array(inner.toSchema().toBER())) ? undefined : 'mismatch'
}

/** True when `child` carries a valid signature by `issuer`'s key. Never throws. */
export async function certificateSignedBy (child: Certificate, issuer: Certificate): Promise<boolean> {
  try {
    return await child.verify(issuer, engine)
  } catch {
    return false
  }
}

/** True when `crl` carries a valid signature by `issuer`'s key. Never throws. */
export async function crlSignedBy (crl: CertificateRevocationList, issuer: Certificate): Promise<boolean> {
  try {
    return await crl.verify({ issuerCertificate: issuer }, engine)
  } catch {
    return false
  }
}
