// Shared set-up of the certs tests: a throw-away CA in a temp directory, and a forge that signs
// hand-made certificates with the CA's issuing key (read from the CA directory, as an attacker with
// the key — or a test — would) to produce the malformed and mis-profiled certificates the product
// refuses to issue.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { webcrypto } from 'node:crypto'
import type { Extension } from 'pkijs'
import { initCa, type CertificateAuthority } from '../../../certs/src/certificate-authority.ts'
import type { IssuedCredential } from '../../../certs/src/ca-issue.ts'
import { fromPemAll, toPem } from '../../../certs/src/der.ts'
import { loadCrlBundle, type CrlSource, type LoadedCrl } from '../../../certs/src/crl-load.ts'
import { readCertificate } from '../../../certs/src/certificate-facts.ts'
import { generateKey, importSigningKey, type GeneratedKey } from '../../../certs/src/keys.ts'
import { buildName, type NameAttribute } from '../../../certs/src/names.ts'
import { signCertificate } from '../../../certs/src/sign-certificate.ts'
import { authorityKeyIdentifier, basicConstraints, extKeyUsage, keyIdentifier, keyUsage, subjectAltName, subjectKeyIdentifier, type AltName } from '../../../certs/src/extensions.ts'
import type { KeyUsageName } from '../../../certs/src/key-usage.ts'
import { EKU } from '../../../certs/src/oids.ts'
import { addDays } from '../../../certs/src/time.ts'

/** Anything with tap's teardown. */
export interface Teardown { teardown (fn: () => void): void }

/** A temp directory removed when the test ends. */
export function tempDir (t: Teardown, prefix = 'ken-certs-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** DER of the first certificate in PEM text. */
export function certDer (pem: string): Uint8Array {
  const der = fromPemAll(pem, 'CERTIFICATE')[0]
  if (der === undefined) throw new Error('no certificate in PEM')
  return der
}

/** A CRL source fixed to these CRLs. */
export function fixedCrl (crls: readonly LoadedCrl[]): CrlSource {
  return { current: () => crls }
}

/** A CA in a temp directory with its PEMs at hand. */
export interface TestPki {
  readonly dir: string
  readonly caDir: string
  readonly ca: CertificateAuthority
  readonly rootPem: string
  readonly issuingPem: string
  /** Current CRLs, issuing CA's then root's (generated at set-up; call refreshCrl after revocations). */
  crl: readonly LoadedCrl[]
  refreshCrl (opts?: { validityDays?: number }): Promise<readonly LoadedCrl[]>
}

/** Create a CA (optionally with an injected clock) and an initial empty CRL. */
export async function makePki (t: Teardown, opts: { organization?: string, clock?: () => Date } = {}): Promise<TestPki> {
  const dir = tempDir(t)
  const caDir = join(dir, 'ca')
  const ca = await initCa(caDir, opts)
  const issuers = [readCertificate(certDer(ca.issuingPem)), readCertificate(certDer(ca.rootPem))]
  const pki: TestPki = {
    dir,
    caDir,
    ca,
    rootPem: ca.rootPem,
    issuingPem: ca.issuingPem,
    crl: await loadCrlBundle((await ca.generateCrl()).pem, issuers),
    async refreshCrl (o = {}) {
      pki.crl = await loadCrlBundle((await ca.generateCrl(o)).pem, issuers)
      return pki.crl
    }
  }
  return pki
}

/** DER of an issued credential's certificate. */
export function leafOf (cred: IssuedCredential): Uint8Array {
  return certDer(cred.certificatePem)
}

/** What a forged certificate should contain; anything left out gets the CS profile's value. */
export interface Forgery {
  readonly serial?: bigint
  readonly subject?: readonly NameAttribute[]
  readonly altNames?: readonly AltName[]
  readonly keyUsage?: readonly KeyUsageName[]
  readonly extKeyUsage?: readonly string[]
  readonly ca?: { readonly pathLen: number }
  readonly extra?: readonly Extension[]
  readonly notBefore?: Date
  readonly notAfter?: Date
  /** Sign with this key and name as the issuer (default: the CA's issuing key and name). */
  readonly issuer?: { readonly key: webcrypto.CryptoKey, readonly certPem: string }
}

/** A forged certificate and its key. */
export interface Forged {
  readonly der: Uint8Array
  readonly pem: string
  readonly key: GeneratedKey
}

let forgedSerial = 0x7000n

/** Sign a hand-made certificate with the CA's issuing key (or `f.issuer`). */
export async function forge (pki: TestPki, f: Forgery): Promise<Forged> {
  const issuerPem = f.issuer?.certPem ?? pki.issuingPem
  const issuerKey = f.issuer?.key ?? await importSigningKey(readFileSync(join(pki.caDir, 'issuing.key'), 'utf8'), 'issuing.key')
  const issuer = readCertificate(certDer(issuerPem))
  const key = await generateKey()
  const serial = f.serial ?? forgedSerial++
  const serialHex = serial.toString(16).padStart(2, '0')
  const subject = f.subject ?? [{ type: 'countryName', value: 'JP' }, { type: 'commonName', value: 'CS-401307' }, { type: 'serialNumber', value: '401307' }]
  const altNames = f.altNames ?? [{ uri: `urn:ken:cs:401307:${serialHex.length % 2 === 1 ? `0${serialHex}` : serialHex}` }]
  const exts: Extension[] = [
    basicConstraints(f.ca !== undefined, f.ca?.pathLen),
    keyUsage(f.keyUsage ?? (f.ca !== undefined ? ['keyCertSign', 'cRLSign'] : ['digitalSignature'])),
    ...((f.extKeyUsage ?? [EKU.clientAuth]).length > 0 ? [extKeyUsage(f.extKeyUsage ?? [EKU.clientAuth])] : []),
    ...(altNames.length > 0 ? [subjectAltName(altNames)] : []),
    subjectKeyIdentifier(keyIdentifier(key.spki)),
    authorityKeyIdentifier(Buffer.from(issuer.subjectKeyId ?? '', 'hex')),
    ...(f.extra ?? [])
  ]
  const now = new Date()
  const der = await signCertificate({
    serial,
    subject: buildName(subject),
    issuer: issuer.cert.subject,
    notBefore: f.notBefore ?? addDays(now, -1),
    notAfter: f.notAfter ?? addDays(now, 365),
    publicKey: key.spki,
    extensions: exts
  }, issuerKey)
  return { der, pem: toPem('CERTIFICATE', der), key }
}

/** A copy of `der` with one byte changed at `offset`. */
export function flipByte (der: Uint8Array, offset: number): Uint8Array {
  const copy = new Uint8Array(der)
  copy[offset] = (copy[offset] ?? 0) ^ 0x01
  return copy
}

/** Offset of the last occurrence of `needle` in `haystack`. */
export function lastIndexOf (haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack).lastIndexOf(Buffer.from(needle))
}
