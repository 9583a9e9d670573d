/**
 * The certificate profiles of the prefecture's PKI: which names and extensions each kind of
 * certificate gets. CA certificates follow RFC 5280 §4.2.1.9 (basicConstraints, critical) and
 * §4.2.1.3 (keyCertSign | cRLSign); end-entity certificates are digitalSignature only (ECDSA
 * in TLS 1.3 signs, it never enciphers) with one EKU each (§4.2.1.12).
 */
import { isIP } from 'node:net'
import type { Extension } from 'pkijs'
import { EKU } from './oids.ts'
import type { NameAttribute } from './names.ts'
import type { KeyUsageName } from './key-usage.ts'
import { authorityKeyIdentifier, basicConstraints, extKeyUsage, keyUsage, subjectAltName, subjectKeyIdentifier, type AltName } from './extensions.ts'
import { csCommonName, csUrn, nationalClientUrn, operatorUrn, type OperatorRole } from './identity-names.ts'

/** The kinds of certificate this CA issues. */
export type CertificateKind = 'root' | 'issuing' | 'server' | 'cs' | 'operator' | 'national-client'

/** A profile: subject, and what goes into the extensions. */
export interface Profile {
  readonly kind: CertificateKind
  readonly subject: readonly NameAttribute[]
  /** pathLenConstraint for CA certificates; undefined for end entities. */
  readonly pathLen: number | undefined
  readonly keyUsage: readonly KeyUsageName[]
  readonly extKeyUsage: readonly string[]
  readonly altNames: readonly AltName[]
}

const CA_USAGE: readonly KeyUsageName[] = ['keyCertSign', 'cRLSign']
const EE_USAGE: readonly KeyUsageName[] = ['digitalSignature']

/** The root CA: may certify one more CA below it (pathLen 1). */
export function rootProfile (org: string): Profile {
  return { kind: 'root', subject: [{ type: 'countryName', value: 'JP' }, { type: 'organizationName', value: org }, { type: 'commonName', value: `${org} Root CA` }], pathLen: 1, keyUsage: CA_USAGE, extKeyUsage: [], altNames: [] }
}

/** The issuing CA: signs end entities and the CRL, no CA below it (pathLen 0). */
export function issuingProfile (org: string): Profile {
  return { kind: 'issuing', subject: [{ type: 'countryName', value: 'JP' }, { type: 'organizationName', value: org }, { type: 'commonName', value: `${org} Issuing CA` }], pathLen: 0, keyUsage: CA_USAGE, extKeyUsage: [], altNames: [] }
}

/** A TLS server: serverAuth, every name in the SAN (RFC 6125 §6.4.4 ignores the CN). */
export function serverProfile (org: string, names: readonly string[]): Profile {
  const altNames = names.map((n): AltName => (isIP(n) === 0 ? { dns: n } : { ip: n }))
  return { kind: 'server', subject: [{ type: 'countryName', value: 'JP' }, { type: 'organizationName', value: org }, { type: 'commonName', value: names[0] ?? '' }], pathLen: undefined, keyUsage: EE_USAGE, extKeyUsage: [EKU.serverAuth], altNames }
}

/** A municipality's CS: clientAuth, the code in subject and SAN (SPEC §3). */
export function csProfile (org: string, code: string, serialHex: string): Profile {
  return {
    kind: 'cs',
    subject: [{ type: 'countryName', value: 'JP' }, { type: 'organizationName', value: org }, { type: 'organizationalUnitName', value: 'CS' }, { type: 'commonName', value: csCommonName(code) }, { type: 'serialNumber', value: code }],
    pathLen: undefined,
    keyUsage: EE_USAGE,
    extKeyUsage: [EKU.clientAuth],
    altNames: [{ uri: csUrn(code, serialHex) }]
  }
}

/**
 * ken-national's client certificate for the national server (SPEC §5.1, B1.2 相互認証): clientAuth,
 * the 都道府県コード in the subject and SAN, so the national side dedups by (prefecture, position) under
 * an identity it authenticated rather than one the messages claim.
 */
export function nationalClientProfile (org: string, prefectureCode: string, serialHex: string): Profile {
  return {
    kind: 'national-client',
    subject: [{ type: 'countryName', value: 'JP' }, { type: 'organizationName', value: org }, { type: 'organizationalUnitName', value: 'national-link' }, { type: 'commonName', value: `ken-national-${prefectureCode}` }, { type: 'serialNumber', value: prefectureCode }],
    pathLen: undefined,
    keyUsage: EE_USAGE,
    extKeyUsage: [EKU.clientAuth],
    altNames: [{ uri: nationalClientUrn(prefectureCode, serialHex) }]
  }
}

/** An operator, administrator, security officer or technician (SPEC §6): clientAuth, id and role in the SAN. */
export function operatorProfile (org: string, id: string, role: OperatorRole): Profile {
  return {
    kind: 'operator',
    subject: [{ type: 'countryName', value: 'JP' }, { type: 'organizationName', value: org }, { type: 'organizationalUnitName', value: role }, { type: 'commonName', value: id }],
    pathLen: undefined,
    keyUsage: EE_USAGE,
    extKeyUsage: [EKU.clientAuth],
    altNames: [{ uri: operatorUrn(id, role) }]
  }
}

/**
 * The extensions of a profile. Every certificate carries subjectKeyIdentifier (§4.2.1.2); all but
 * the self-signed root carry authorityKeyIdentifier (§4.2.1.1).
 */
export function profileExtensions (p: Profile, subjectKeyId: Uint8Array, issuerKeyId: Uint8Array | undefined): Extension[] {
  const isCa = p.pathLen !== undefined
  const out = [basicConstraints(isCa, p.pathLen), keyUsage(p.keyUsage)]
  if (p.extKeyUsage.length > 0) out.push(extKeyUsage(p.extKeyUsage))
  if (p.altNames.length > 0) out.push(subjectAltName(p.altNames))
  out.push(subjectKeyIdentifier(subjectKeyId))
  if (issuerKeyId !== undefined) out.push(authorityKeyIdentifier(issuerKeyId))
  return out
}
