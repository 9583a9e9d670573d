/**
 * Certificates handed to the verifier or the CRL store by configuration: PEM text (one or many
 * blocks, e.g. a `ca.crt` bundle) or DER bytes, parsed once at start-up. A configured certificate
 * that does not parse is a start-up error naming the option, never a silently smaller trust set.
 */
import { errors } from './errors.ts'
import { fromPemAll } from './der.ts'
import { readCertificate, type CertificateFacts } from './certificate-facts.ts'

/** One or more certificates: PEM text (any number of blocks) or DER bytes, or a list of those. */
export type CertificateInput = string | Uint8Array | ReadonlyArray<string | Uint8Array>

/** Parse configured certificates; `field` names the option in errors. */
export function parseCertificates (input: CertificateInput | undefined, field: string): CertificateFacts[] {
  if (input === undefined) return []
  const items = typeof input === 'string' || input instanceof Uint8Array ? [input] : input
  const out: CertificateFacts[] = []
  for (const item of items) {
    const ders = typeof item === 'string' ? fromPemAll(item, 'CERTIFICATE') : [item]
    if (ders.length === 0) throw errors.KEN_ERR_CERT_MALFORMED(`${field} holds no certificate`, { field })
    for (const der of ders) {
      try {
        out.push(readCertificate(der))
      } catch (err) {
        throw errors.KEN_ERR_CERT_MALFORMED(`in ${field}`, { field, cause: err })
      }
    }
  }
  return out
}
