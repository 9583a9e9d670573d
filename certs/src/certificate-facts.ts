/**
 * A parsed certificate and the facts the checks need, read once. Anything this PKI cannot parse
 * is KEN_ERR_CERT_MALFORMED; duplicate extensions are malformed too (RFC 5280 §4.2: "A certificate
 * MUST NOT include more than one instance of a particular extension").
 */
import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import { AuthorityKeyIdentifier, BasicConstraints, Certificate, ExtKeyUsage, GeneralNames } from 'pkijs'
import { errors } from './errors.ts'
import { EXT } from './oids.ts'
import { toArrayBuffer, toHex } from './der.ts'
import { decodeKeyUsage, type KeyUsageName } from './key-usage.ts'
import { formatIp } from './extensions.ts'
import { serialHexOf } from './serial.ts'
import { formatName } from './names.ts'

/** The extensions this PKI understands; any other critical extension is refused (§4.2). */
export const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([
  EXT.basicConstraints, EXT.keyUsage, EXT.extKeyUsage, EXT.subjectAltName, EXT.subjectKeyIdentifier, EXT.authorityKeyIdentifier
])

/** subjectAltName entries this PKI reads (§4.2.1.6); other name forms are ignored. */
export interface AltNames {
  readonly dns: readonly string[]
  readonly ip: readonly string[]
  readonly uri: readonly string[]
}

/** What the verifier and the tooling read from a certificate. */
export interface CertificateFacts {
  readonly cert: Certificate
  readonly der: Uint8Array
  readonly serialHex: string
  readonly subject: string
  readonly issuer: string
  readonly notBefore: Date
  readonly notAfter: Date
  readonly basicConstraints: { readonly ca: boolean, readonly pathLen: number | undefined } | undefined
  readonly keyUsage: ReadonlySet<KeyUsageName> | undefined
  readonly extKeyUsage: readonly string[] | undefined
  readonly altNames: AltNames
  readonly subjectKeyId: string | undefined
  readonly authorityKeyId: string | undefined
  readonly unknownCritical: readonly string[]
  /** SHA-256 of the DER certificate, hex. */
  readonly fingerprint256: string
  /** SHA-256 of the SubjectPublicKeyInfo, hex: identifies the key whatever certificate carries it. */
  readonly spkiSha256: string
}

/** Parse DER into {@link CertificateFacts}; throws KEN_ERR_CERT_MALFORMED. */
export function readCertificate (der: Uint8Array): CertificateFacts {
  try {
    return parse(der)
  } catch (err) {
    throw errors.KEN_ERR_CERT_MALFORMED(err instanceof Error ? err.message : undefined, { cause: err })
  }
}

function parse (der: Uint8Array): CertificateFacts {
  const asn1 = asn1js.fromBER(toArrayBuffer(der))
  if (asn1.offset === -1 || asn1.offset !== der.byteLength) throw new Error('not a single DER object')
  const cert = new Certificate({ schema: asn1.result })
  if (cert.version !== 2) throw new Error('not an X.509 v3 certificate')
  let bc: CertificateFacts['basicConstraints']
  let ku: Set<KeyUsageName> | undefined
  let eku: string[] | undefined
  let ski: string | undefined
  let aki: string | undefined
  const alt = { dns: [] as string[], ip: [] as string[], uri: [] as string[] }
  const seen = new Set<string>()
  const unknownCritical: string[] = []
  for (const e of cert.extensions ?? []) {
    if (seen.has(e.extnID)) throw new Error(`duplicate extension ${e.extnID}`)
    seen.add(e.extnID)
    const inner = asn1js.fromBER(e.extnValue.valueBlock.valueHexView)
    if (inner.offset === -1) throw new Error(`unparseable extension ${e.extnID}`)
    const value = inner.result
    switch (e.extnID) {
      case EXT.basicConstraints: {
        const b = new BasicConstraints({ schema: value })
        bc = { ca: b.cA, pathLen: typeof b.pathLenConstraint === 'number' ? b.pathLenConstraint : undefined }
        break
      }
      case EXT.keyUsage:
        if (!(value instanceof asn1js.BitString)) throw new Error('keyUsage is not a BIT STRING')
        ku = decodeKeyUsage(value)
        break
      case EXT.extKeyUsage:
        eku = new ExtKeyUsage({ schema: value }).keyPurposes
        break
      case EXT.subjectAltName:
        for (const n of new GeneralNames({ schema: value }).names) {
          if (n.type === 2) alt.dns.push(String(n.value))
          else if (n.type === 6) alt.uri.push(String(n.value))
          else if (n.type === 7 && n.value instanceof asn1js.OctetString) alt.ip.push(formatIp(n.value.valueBlock.valueHexView))
        }
        break
      case EXT.subjectKeyIdentifier:
        if (!(value instanceof asn1js.OctetString)) throw new Error('subjectKeyIdentifier is not an OCTET STRING')
        ski = toHex(value.valueBlock.valueHexView)
        break
      case EXT.authorityKeyIdentifier: {
        const id = new AuthorityKeyIdentifier({ schema: value }).keyIdentifier
        aki = id === undefined ? undefined : toHex(id.valueBlock.valueHexView)
        break
      }
      default:
        if (e.critical) unknownCritical.push(e.extnID)
    }
  }
  return {
    cert,
    der,
    serialHex: serialHexOf(cert.serialNumber),
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
    basicConstraints: bc,
    keyUsage: ku,
    extKeyUsage: eku,
    altNames: alt,
    subjectKeyId: ski,
    authorityKeyId: aki,
    unknownCritical,
    fingerprint256: createHash('sha256').update(der).digest('hex'),
    spkiSha256: createHash('sha256').update(new Uint8Array(cert.subjectPublicKeyInfo.toSchema().toBER())).digest('hex')
  }
}
