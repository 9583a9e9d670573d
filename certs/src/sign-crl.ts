/**
 * Assemble and sign one X.509 v2 CRL (RFC 5280 §5) with ECDSA P-256 / SHA-256: v2, the issuer's
 * name, thisUpdate/nextUpdate (§5.1.2.4–5), authorityKeyIdentifier (§5.2.1, MUST) and cRLNumber
 * (§5.2.3, MUST), and a reasonCode per entry (§5.3.1, omitted for `unspecified`). With nothing
 * revoked the revokedCertificates list is absent, not empty (§5.1.2.6).
 */
import type { webcrypto } from 'node:crypto'
import * as asn1js from 'asn1js'
import { CertificateRevocationList, Extension, Extensions, RevokedCertificate } from 'pkijs'
import { engine } from './engine.ts'
import { EXT } from './oids.ts'
import { authorityKeyIdentifier } from './extensions.ts'
import { serialInteger } from './serial.ts'
import { certTime } from './time.ts'
import type { CertificateFacts } from './certificate-facts.ts'
import { REVOCATION_REASONS, type RevocationReason } from './revocation-reasons.ts'

/** One entry of a CRL to sign. */
export interface CrlEntry {
  readonly serialHex: string
  readonly reason: RevocationReason
  readonly revokedAt: Date
}

/** What goes into one CRL. */
export interface CrlTemplate {
  readonly issuer: CertificateFacts
  readonly crlNumber: number
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  readonly entries: readonly CrlEntry[]
}

function entry (e: CrlEntry): RevokedCertificate {
  const reason = e.reason === 'unspecified'
    ? {}
    : { crlEntryExtensions: new Extensions({ extensions: [new Extension({ extnID: EXT.reasonCode, critical: false, extnValue: new asn1js.Enumerated({ value: REVOCATION_REASONS[e.reason] }).toBER() })] }) }
  return new RevokedCertificate({ userCertificate: serialInteger(BigInt(`0x${e.serialHex}`)), revocationDate: certTime(e.revokedAt), ...reason })
}

/** Sign `t` with the issuer's key; returns the CRL's DER. */
export async function signCrl (t: CrlTemplate, issuerKey: webcrypto.CryptoKey): Promise<Uint8Array> {
  const crl = new CertificateRevocationList({
    version: 1, // v2: required for extensions (§5.1.2.1)
    issuer: t.issuer.cert.subject,
    thisUpdate: certTime(t.thisUpdate),
    nextUpdate: certTime(t.nextUpdate),
    crlExtensions: new Extensions({
      extensions: [
        authorityKeyIdentifier(Buffer.from(t.issuer.subjectKeyId ?? '', 'hex')),
        new Extension({ extnID: EXT.cRLNumber, critical: false, extnValue: new asn1js.Integer({ value: t.crlNumber }).toBER() })
      ]
    })
  })
  if (t.entries.length > 0) crl.revokedCertificates = t.entries.map(entry)
  else delete crl.revokedCertificates
  await crl.sign(issuerKey, 'SHA-256', engine)
  return new Uint8Array(crl.toSchema(true).toBER())
}
