/**
 * Open an operator's or technician's credential — the IC-card equivalent of SPEC §6: the
 * certificate file and the PIN-encrypted key file. The PIN is the second factor: a wrong PIN is
 * KEN_ERR_PKI_BAD_PIN (the terminal counts these for its lockout), and a key that does not belong
 * to the certificate is KEN_ERR_PKI_KEY_MISMATCH.
 */
import type { KeyObject } from 'node:crypto'
import { errors } from './errors.ts'
import { bytesEqual, fromPemAll } from './der.ts'
import { readCertificate } from './certificate-facts.ts'
import { decryptPkcs8, publicSpkiOf } from './keys.ts'

/** An opened credential: what the terminal needs to authenticate with TLS or sign a challenge. */
export interface OperatorCredential {
  readonly certificateDer: Uint8Array
  /** The rest of the certificate file (the issuing CA), DER. */
  readonly chainDer: readonly Uint8Array[]
  /** The private key, usable with node:crypto `sign` or as node:tls `key`. */
  readonly privateKey: KeyObject
}

/** Open a credential from the PEM text of its certificate file and key file. */
export function openOperatorCredential (certificatePem: string, keyPem: string, pin: string): OperatorCredential {
  const [leaf, ...chain] = fromPemAll(certificatePem, 'CERTIFICATE')
  if (leaf === undefined) throw errors.KEN_ERR_CERT_MALFORMED('no certificate in the credential', { field: 'certificate' })
  const facts = readCertificate(leaf)
  const privateKey = decryptPkcs8(keyPem, pin)
  const spki = new Uint8Array(facts.cert.subjectPublicKeyInfo.toSchema().toBER())
  if (!bytesEqual(publicSpkiOf(privateKey), spki)) throw errors.KEN_ERR_PKI_KEY_MISMATCH(undefined, { field: 'key' })
  return { certificateDer: leaf, chainDer: chain, privateKey }
}
