/**
 * Issue an end-entity certificate from the issuing CA: allocate the next serial, generate the
 * subject's ECDSA P-256 key, sign, and record the certificate in the CA state — all under the
 * CA lock, and the state is durable before the credential is handed out, so a serial is never
 * issued twice. The private key is returned to the caller (PIN-encrypted for operators); the CA's
 * own keys are not.
 */
import { isIP } from 'node:net'
import type { webcrypto } from 'node:crypto'
import { join } from 'node:path'
import { errors } from './errors.ts'
import { toPem } from './der.ts'
import { assertPin, encryptPkcs8, generateKey, pkcs8Pem } from './keys.ts'
import { buildName, formatName } from './names.ts'
import { csProfile, nationalClientProfile, operatorProfile, profileExtensions, serverProfile, type Profile } from './profiles.ts'
import { signCertificate } from './sign-certificate.ts'
import { keyIdentifier } from './extensions.ts'
import { readCaState, writeCaState, type IssuedRecord } from './ca-state.ts'
import { CA_FILES, loadCaCertificates, loadIssuingKey, type CaCertificates } from './ca-files.ts'
import { isOperatorId, isOperatorRole, isPrefectureCode, isValidMunicipalityCode, type OperatorRole } from './identity-names.ts'
import { addDays, operatorRegistrationEnd, wholeSeconds } from './time.ts'
import { NOT_BEFORE_SKEW_MS } from './ca-init.ts'

/** What to issue. `validityDays` overrides the kind's default lifetime. */
export type LeafRequest =
  | { readonly kind: 'server', readonly names: readonly string[], readonly validityDays?: number }
  | { readonly kind: 'cs', readonly municipalityCode: string, readonly validityDays?: number }
  | { readonly kind: 'operator', readonly id: string, readonly role: OperatorRole, readonly pin: string, readonly validityDays?: number }
  | { readonly kind: 'national-client', readonly prefectureCode: string, readonly validityDays?: number }

/** A newly issued certificate and its private key. */
export interface IssuedCredential {
  readonly kind: 'server' | 'cs' | 'operator' | 'national-client'
  readonly serialHex: string
  readonly subject: string
  readonly notBefore: Date
  readonly notAfter: Date
  /** The certificate alone. */
  readonly certificatePem: string
  /** The certificate followed by the issuing CA certificate, as a TLS peer sends it. */
  readonly chainPem: string
  /** PKCS#8 PEM; `ENCRYPTED PRIVATE KEY` under the PIN for operators and technicians. */
  readonly privateKeyPem: string
  readonly privateKeyEncrypted: boolean
}

/** Default lifetimes: CS 2 years (SPEC), server 2 years; operators end by the fiscal-year rule. */
export const DEFAULT_VALIDITY_DAYS = { server: 730, cs: 730, 'national-client': 730 } as const

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

function validate (req: LeafRequest): void {
  if (req.kind === 'server') {
    if (req.names.length === 0) throw errors.KEN_ERR_PKI_BAD_NAME('no name', { field: 'name' })
    for (const n of req.names) if (isIP(n) === 0 && !DNS_NAME.test(n)) throw errors.KEN_ERR_PKI_BAD_NAME(n, { field: 'name' })
  } else if (req.kind === 'cs') {
    if (!isValidMunicipalityCode(req.municipalityCode)) throw errors.KEN_ERR_PKI_BAD_MUNICIPALITY_CODE(req.municipalityCode, { field: 'municipality' })
  } else if (req.kind === 'national-client') {
    if (!isPrefectureCode(req.prefectureCode)) throw errors.KEN_ERR_PKI_BAD_NAME(req.prefectureCode, { field: 'prefecture' })
  } else {
    if (!isOperatorId(req.id)) throw errors.KEN_ERR_PKI_BAD_OPERATOR_ID(undefined, { field: 'id' })
    if (!isOperatorRole(req.role)) throw errors.KEN_ERR_PKI_BAD_ROLE(undefined, { field: 'role' })
    assertPin(req.pin)
  }
  if (req.validityDays !== undefined && (!Number.isInteger(req.validityDays) || req.validityDays < 1)) throw errors.KEN_ERR_PKI_BAD_VALIDITY(String(req.validityDays), { field: 'days' })
}

function profileFor (req: LeafRequest, org: string, serialHex: string): Profile {
  if (req.kind === 'server') return serverProfile(org, req.names.map((n) => n.toLowerCase()))
  if (req.kind === 'cs') return csProfile(org, req.municipalityCode, serialHex)
  if (req.kind === 'national-client') return nationalClientProfile(org, req.prefectureCode, serialHex)
  return operatorProfile(org, req.id, req.role)
}

function hexOf (serial: number): string {
  const h = serial.toString(16)
  return h.length % 2 === 1 ? `0${h}` : h
}

/** The validity period of one request, or the reason it cannot have one. */
function validity (req: LeafRequest, t: Date, ca: CaCertificates): { notBefore: Date, notAfter: Date } {
  const registrationEnd = operatorRegistrationEnd(t)
  const wanted = req.validityDays !== undefined
    ? addDays(t, req.validityDays)
    : req.kind === 'operator' ? registrationEnd : addDays(t, DEFAULT_VALIDITY_DAYS[req.kind])
  if (req.validityDays !== undefined && wanted > ca.issuing.notAfter) throw errors.KEN_ERR_PKI_BAD_VALIDITY(`${req.validityDays} days outlives the issuing CA`, { field: 'days' })
  // SPEC §6: a registration expires no later than 30 April of the next fiscal year; --days may only shorten it.
  if (req.kind === 'operator' && wanted > registrationEnd) throw errors.KEN_ERR_PKI_BAD_VALIDITY(`operator registrations end by ${registrationEnd.toISOString()}`, { field: 'days' })
  return { notBefore: new Date(t.getTime() - NOT_BEFORE_SKEW_MS), notAfter: wanted > ca.issuing.notAfter ? ca.issuing.notAfter : wanted }
}

async function issueOne (req: LeafRequest, serial: number, org: string, period: { notBefore: Date, notAfter: Date }, ca: CaCertificates, issuingKey: webcrypto.CryptoKey): Promise<{ credential: IssuedCredential, record: IssuedRecord }> {
  const serialHex = hexOf(serial)
  const profile = profileFor(req, org, serialHex)
  const key = await generateKey()
  const subject = buildName(profile.subject)
  const der = await signCertificate({
    serial: BigInt(serial),
    subject,
    issuer: ca.issuing.cert.subject,
    ...period,
    publicKey: key.spki,
    extensions: profileExtensions(profile, keyIdentifier(key.spki), Buffer.from(ca.issuing.subjectKeyId ?? '', 'hex'))
  }, issuingKey)
  const certificatePem = toPem('CERTIFICATE', der)
  const record: IssuedRecord = {
    serialHex,
    kind: req.kind,
    subject: formatName(subject),
    name: req.kind === 'server' ? (req.names[0] ?? '') : req.kind === 'cs' ? req.municipalityCode : req.kind === 'national-client' ? req.prefectureCode : req.id,
    ...(req.kind === 'operator' ? { role: req.role } : {}),
    notBefore: period.notBefore.toISOString(),
    notAfter: period.notAfter.toISOString()
  }
  const credential: IssuedCredential = {
    kind: req.kind,
    serialHex,
    subject: record.subject,
    ...period,
    certificatePem,
    chainPem: certificatePem + ca.issuingPem,
    privateKeyPem: req.kind === 'operator' ? encryptPkcs8(key.pkcs8, req.pin) : pkcs8Pem(key.pkcs8),
    privateKeyEncrypted: req.kind === 'operator'
  }
  return { credential, record }
}

/**
 * Issue certificates from the CA in `dir`, one per request, in order. The caller holds the CA
 * lock. Every request is checked before anything is issued; serials are allocated in request
 * order, keys are generated concurrently, and the state (serial counter and index) is written
 * once, durably, before any credential is returned. Throws KEN_ERR_PKI_CA_EXPIRED /
 * KEN_ERR_PKI_CA_REVOKED when the issuing CA cannot issue, and KEN_ERR_PKI_BAD_VALIDITY when an
 * explicit lifetime would outlive the issuing CA (a default lifetime is cut to it) or, for
 * operators, the registration period.
 */
export async function issueLeaves (dir: string, reqs: readonly LeafRequest[], now: Date): Promise<IssuedCredential[]> {
  for (const req of reqs) validate(req)
  const statePath = join(dir, CA_FILES.state)
  const state = readCaState(statePath)
  const ca = loadCaCertificates(dir)
  const t = wholeSeconds(now)
  if (t < ca.issuing.notBefore || t > ca.issuing.notAfter) throw errors.KEN_ERR_PKI_CA_EXPIRED(undefined, { field: CA_FILES.issuingCert })
  if (state.revoked.some((r) => r.serialHex === ca.issuing.serialHex)) throw errors.KEN_ERR_PKI_CA_REVOKED(undefined, { field: CA_FILES.issuingCert })
  const jobs = reqs.map((req) => ({ req, period: validity(req, t, ca) }))
  const issuingKey = await loadIssuingKey(dir)
  const first = state.nextSerial
  const issued = await Promise.all(jobs.map(async ({ req, period }, i) => await issueOne(req, first + i, state.organization, period, ca, issuingKey)))
  state.nextSerial = first + reqs.length
  state.issued.push(...issued.map((x) => x.record))
  writeCaState(statePath, state)
  return issued.map((x) => x.credential)
}
