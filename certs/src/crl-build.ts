/**
 * Publish revocation: sign, from the revocation database, the issuing CA's CRL (end entities) and
 * the root's authority revocation list (the issuing CA itself), both with the same new cRLNumber
 * (each issuer's numbers increase, RFC 5280 §5.2.3). They go out together in one PEM file, issuing
 * CA's first: openssl reads the first for `crl -verify`, node:tls needs both because it checks
 * revocation for every certificate of the chain (it sets X509_V_FLAG_CRL_CHECK_ALL).
 */
import { join } from 'node:path'
import { errors } from './errors.ts'
import { toPem } from './der.ts'
import { addDays, wholeSeconds } from './time.ts'
import { readCaState, writeCaState } from './ca-state.ts'
import { CA_FILES, loadCaCertificates, loadIssuingKey, loadRootKey } from './ca-files.ts'
import { replaceFile, PUBLIC_MODE } from './files.ts'
import { signCrl, type CrlEntry } from './sign-crl.ts'

/** Default CRL lifetime (nextUpdate − thisUpdate), in days. */
export const DEFAULT_CRL_DAYS = 7

/** A generated pair of CRLs. */
export interface GeneratedCrl {
  /** Issuing CA's CRL then the root's, PEM. */
  readonly pem: string
  /** The same two CRLs as separate PEM strings (node:tls `crl` takes an array). */
  readonly pems: readonly [string, string]
  readonly crlNumber: number
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  /** Entries on the issuing CA's CRL. */
  readonly entries: number
}

/**
 * Sign new CRLs over the revocation database, advance the CRL number, and write them to the CA
 * directory's crl.pem. The caller holds the CA lock.
 */
export async function generateCrl (dir: string, now: Date, validityDays = DEFAULT_CRL_DAYS): Promise<GeneratedCrl> {
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 366) throw errors.KEN_ERR_PKI_BAD_VALIDITY(`${validityDays} days`, { field: 'days' })
  const statePath = join(dir, CA_FILES.state)
  const state = readCaState(statePath)
  const ca = loadCaCertificates(dir)
  const thisUpdate = wholeSeconds(now)
  const nextUpdate = addDays(thisUpdate, validityDays)
  const crlNumber = state.crlNumber + 1
  const kindOf = new Map(state.issued.map((r) => [r.serialHex, r.kind]))
  const toEntry = (r: typeof state.revoked[number]): CrlEntry => ({ serialHex: r.serialHex, reason: r.reason, revokedAt: new Date(r.revokedAt) })
  const leaves = state.revoked.filter((r) => kindOf.get(r.serialHex) !== 'issuing').map(toEntry)
  const cas = state.revoked.filter((r) => kindOf.get(r.serialHex) === 'issuing').map(toEntry)

  const issuingCrl = toPem('X509 CRL', await signCrl({ issuer: ca.issuing, crlNumber, thisUpdate, nextUpdate, entries: leaves }, await loadIssuingKey(dir)))
  const rootCrl = toPem('X509 CRL', await signCrl({ issuer: ca.root, crlNumber, thisUpdate, nextUpdate, entries: cas }, await loadRootKey(dir)))
  const pem = issuingCrl + rootCrl

  state.crlNumber = crlNumber
  writeCaState(statePath, state)
  replaceFile(join(dir, CA_FILES.crl), pem, { mode: PUBLIC_MODE, durable: true })
  return { pem, pems: [issuingCrl, rootCrl], crlNumber, thisUpdate, nextUpdate, entries: leaves.length }
}
