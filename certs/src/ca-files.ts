/**
 * The layout of a CA directory and how its certificates and the issuing key are loaded. The CA
 * private keys are read only here, only into non-extractable WebCrypto keys, and nothing exported
 * from certs/ returns them: they never leave the CA directory.
 *
 *   root.crt  root.key (0600)  issuing.crt  issuing.key (0600)  ca.crt (issuing + root)
 *   state.json (0600)  crl.pem (the last CRLs generated)  .lock (while a writer works)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { webcrypto } from 'node:crypto'
import { errors } from './errors.ts'
import { fromPemAll } from './der.ts'
import { readCertificate, type CertificateFacts } from './certificate-facts.ts'
import { importSigningKey } from './keys.ts'

/** File names inside a CA directory. */
export const CA_FILES = {
  rootCert: 'root.crt',
  rootKey: 'root.key',
  issuingCert: 'issuing.crt',
  issuingKey: 'issuing.key',
  bundle: 'ca.crt',
  state: 'state.json',
  crl: 'crl.pem'
} as const

/** The CA's two certificates, parsed, with their PEM. */
export interface CaCertificates {
  readonly root: CertificateFacts
  readonly issuing: CertificateFacts
  readonly rootPem: string
  readonly issuingPem: string
}

function readCa (dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw errors.KEN_ERR_PKI_CA_NOT_FOUND(file, { field: join(dir, file), cause: err })
    throw err
  }
}

function readCertFile (dir: string, file: string): { pem: string, facts: CertificateFacts } {
  const pem = readCa(dir, file)
  const der = fromPemAll(pem, 'CERTIFICATE')[0]
  if (der === undefined) throw errors.KEN_ERR_PKI_CA_CORRUPT(`${file} holds no certificate`, { field: file })
  return { pem, facts: readCertificate(der) }
}

/** Load the root and issuing CA certificates of a CA directory. */
export function loadCaCertificates (dir: string): CaCertificates {
  const root = readCertFile(dir, CA_FILES.rootCert)
  const issuing = readCertFile(dir, CA_FILES.issuingCert)
  return { root: root.facts, issuing: issuing.facts, rootPem: root.pem, issuingPem: issuing.pem }
}

/** The root CA's private key as a non-extractable signing key (it signs the root's CRL). Internal to the CA. */
export async function loadRootKey (dir: string): Promise<webcrypto.CryptoKey> {
  return await importSigningKey(readCa(dir, CA_FILES.rootKey), CA_FILES.rootKey)
}

/** The issuing CA's private key as a non-extractable signing key. Internal to the CA. */
export async function loadIssuingKey (dir: string): Promise<webcrypto.CryptoKey> {
  return await importSigningKey(readCa(dir, CA_FILES.issuingKey), CA_FILES.issuingKey)
}
