/**
 * Who a verified certificate speaks for. The identity is read from the subject and the
 * subjectAltName, and both must agree: a CS's municipality code is in the subject serialNumber
 * attribute and CN, and in its `urn:ken:cs:` SAN URI (SPEC §3); an operator's id and role in CN,
 * OU and the `urn:ken:operator:` URI (SPEC §6); a server's names only in the SAN (RFC 6125 §6.4.4).
 */
import { errors } from './errors.ts'
import { ATTR } from './oids.ts'
import { attributeValues } from './names.ts'
import type { CertificateFacts } from './certificate-facts.ts'
import { csCommonName, isOperatorId, isOperatorRole, isValidMunicipalityCode, parseCsUrn, parseOperatorUrn, type OperatorRole } from './identity-names.ts'

/** Fields every identity carries. */
export interface IdentityBase {
  readonly serialHex: string
  /** RFC 4514 form of the subject. */
  readonly subject: string
  readonly notAfter: Date
  /** SHA-256 of the certificate DER, hex. */
  readonly fingerprint256: string
}

/** A municipality's communication server. */
export interface CsIdentity extends IdentityBase {
  readonly kind: 'cs'
  readonly municipalityCode: string
}

/** A person at the operator terminal, or a technician. */
export interface OperatorIdentity extends IdentityBase {
  readonly kind: 'operator'
  readonly id: string
  readonly role: OperatorRole
}

/** A TLS server (the national server link, the terminal API). */
export interface ServerIdentity extends IdentityBase {
  readonly kind: 'server'
  readonly dnsNames: readonly string[]
  readonly ipAddresses: readonly string[]
}

/** What a verifier can be asked to accept. */
export type ExpectedKind = 'cs' | 'operator' | 'server'

/** The identity type for an expected kind. */
export type IdentityFor<E extends ExpectedKind> = E extends 'cs' ? CsIdentity : E extends 'operator' ? OperatorIdentity : ServerIdentity

/** Any identity. */
export type Identity = CsIdentity | OperatorIdentity | ServerIdentity

/** Limits on whom to accept. */
export interface IdentityPolicy {
  readonly allowedMunicipalities: ReadonlySet<string> | undefined
  readonly allowedRoles: ReadonlySet<OperatorRole> | undefined
}

function base (c: CertificateFacts): IdentityBase {
  return { serialHex: c.serialHex, subject: c.subject, notAfter: c.notAfter, fingerprint256: c.fingerprint256 }
}

function csIdentity (c: CertificateFacts, policy: IdentityPolicy): CsIdentity {
  const inSubject = attributeValues(c.cert.subject, ATTR.serialNumber)
  const inSan = c.altNames.uri.filter((u) => u.startsWith('urn:ken:cs:'))
  if (inSubject.length === 0 || inSan.length === 0) throw errors.KEN_ERR_CERT_NO_MUNICIPALITY(inSubject.length === 0 ? 'none in subject' : 'none in SAN')
  if (inSubject.length > 1 || inSan.length > 1) throw errors.KEN_ERR_CERT_IDENTITY_MISMATCH('more than one municipality code')
  const code = inSubject[0] ?? ''
  const urn = parseCsUrn(inSan[0] ?? '')
  if (!isValidMunicipalityCode(code) || urn === undefined || !isValidMunicipalityCode(urn.code)) throw errors.KEN_ERR_CERT_BAD_MUNICIPALITY_CODE()
  if (urn.code !== code) throw errors.KEN_ERR_CERT_IDENTITY_MISMATCH('subject and SAN municipality codes differ')
  if (urn.serialHex !== c.serialHex) throw errors.KEN_ERR_CERT_IDENTITY_MISMATCH('SAN serial differs from the certificate serial')
  const cns = attributeValues(c.cert.subject, ATTR.commonName)
  if (cns.length !== 1 || cns[0] !== csCommonName(code)) throw errors.KEN_ERR_CERT_IDENTITY_MISMATCH('CN does not name the municipality')
  if (policy.allowedMunicipalities !== undefined && !policy.allowedMunicipalities.has(code)) throw errors.KEN_ERR_CERT_MUNICIPALITY_NOT_CONFIGURED(code)
  return { kind: 'cs', municipalityCode: code, ...base(c) }
}

function operatorIdentity (c: CertificateFacts, policy: IdentityPolicy): OperatorIdentity {
  const inSan = c.altNames.uri.filter((u) => u.startsWith('urn:ken:operator:'))
  if (inSan.length === 0) throw errors.KEN_ERR_CERT_NO_OPERATOR_ID()
  if (inSan.length > 1) throw errors.KEN_ERR_CERT_IDENTITY_MISMATCH('more than one operator id')
  const urn = parseOperatorUrn(inSan[0] ?? '')
  if (urn === undefined || !isOperatorId(urn.id) || !isOperatorRole(urn.role)) throw errors.KEN_ERR_CERT_NO_OPERATOR_ID('unreadable id or role')
  const cns = attributeValues(c.cert.subject, ATTR.commonName)
  const ous = attributeValues(c.cert.subject, ATTR.organizationalUnitName)
  if (cns.length !== 1 || cns[0] !== urn.id || ous.length !== 1 || ous[0] !== urn.role) throw errors.KEN_ERR_CERT_IDENTITY_MISMATCH('subject does not name the operator and role')
  if (policy.allowedRoles !== undefined && !policy.allowedRoles.has(urn.role)) throw errors.KEN_ERR_CERT_ROLE_NOT_ALLOWED(urn.role)
  return { kind: 'operator', id: urn.id, role: urn.role, ...base(c) }
}

function serverIdentity (c: CertificateFacts): ServerIdentity {
  if (c.altNames.dns.length === 0 && c.altNames.ip.length === 0) throw errors.KEN_ERR_CERT_NO_SERVER_NAME()
  return { kind: 'server', dnsNames: [...c.altNames.dns], ipAddresses: [...c.altNames.ip], ...base(c) }
}

/** Read the identity of the expected kind from a certificate that passed every other check. */
export function extractIdentity<E extends ExpectedKind> (expect: E, leaf: CertificateFacts, policy: IdentityPolicy): IdentityFor<E> {
  const id: Identity = expect === 'cs' ? csIdentity(leaf, policy) : expect === 'operator' ? operatorIdentity(leaf, policy) : serverIdentity(leaf)
  return id as IdentityFor<E>
}
