/**
 * Assemble and sign one X.509 v3 certificate (RFC 5280 §4.1) with ECDSA P-256 / SHA-256
 * (RFC 5758 §3.2). The profile — which extensions, which names, how long — is decided by the
 * caller (profiles.ts); this file only encodes and signs.
 */
import { Certificate, type Extension, type PublicKeyInfo, type RelativeDistinguishedNames } from 'pkijs'
import type { webcrypto } from 'node:crypto'
import { engine } from './engine.ts'
import { certTime } from './time.ts'
import { serialInteger } from './serial.ts'

/** Everything that goes into the TBSCertificate. */
export interface CertificateTemplate {
  readonly serial: bigint
  readonly subject: RelativeDistinguishedNames
  readonly issuer: RelativeDistinguishedNames
  readonly notBefore: Date
  readonly notAfter: Date
  readonly publicKey: PublicKeyInfo
  readonly extensions: readonly Extension[]
}

/** Sign `template` with the issuer's key; returns the certificate's DER. */
export async function signCertificate (template: CertificateTemplate, issuerKey: webcrypto.CryptoKey): Promise<Uint8Array> {
  const cert = new Certificate({
    version: 2, // v3, required when extensions are present (§4.1.2.1)
    serialNumber: serialInteger(template.serial),
    issuer: template.issuer,
    subject: template.subject,
    notBefore: certTime(template.notBefore),
    notAfter: certTime(template.notAfter),
    subjectPublicKeyInfo: template.publicKey,
    extensions: [...template.extensions]
  })
  await cert.sign(issuerKey, 'SHA-256', engine)
  return new Uint8Array(cert.toSchema(true).toBER())
}
