/**
 * Parse and verify a CRL (RFC 5280 §5, §6.3.3) into what the verifier needs: who signed it (by
 * key), when it is current, and the revoked serials with their reasons. A CRL that cannot be
 * processed completely is refused: v2 only, nextUpdate (§5.1.2.5), authorityKeyIdentifier
 * (§5.2.1) and cRLNumber (§5.2.3) required, no unknown critical extension on the list or an entry
 * (§5.2, §5.3), and a signer that is a configured issuer asserting cRLSign (§6.3.3(f)).
 */
import { createHash } from 'node:crypto'
import * as asn1js from 'asn1js'
import { AuthorityKeyIdentifier, CertificateRevocationList } from 'pkijs'
import { errors } from './errors.ts'
import { EXT } from './oids.ts'
import { fromPemAll, toArrayBuffer, toHex, toPem } from './der.ts'
import type { CertificateFacts } from './certificate-facts.ts'
import { formatName, nameDer, namesEqual } from './names.ts'
import { serialHexOf } from './serial.ts'
import { algorithmProblem, crlSignedBy } from './signatures.ts'
import { reasonName, type RevocationReason } from './revocation-reasons.ts'

/** One revoked certificate. */
export interface RevokedEntry {
  readonly reason: RevocationReason
  readonly revokedAt: Date
}

/** A CRL that parsed and verified. */
export interface LoadedCrl {
  /** The verified CRL, re-armoured: what node:tls should be given as `crl`. */
  readonly pem: string
  readonly issuer: string
  readonly issuerDer: Uint8Array
  readonly authorityKeyId: string
  /** SHA-256 of the signer's SubjectPublicKeyInfo: the verifier binds the CRL to the path's issuer key. */
  readonly signerSpkiSha256: string
  readonly crlNumber: bigint
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  /** Revoked serials (canonical hex) and their reason. */
  readonly revoked: ReadonlyMap<string, RevokedEntry>
  /** SHA-256 of the CRL's DER, hex. */
  readonly sha256: string
}

/**
 * Where the verifier gets the CRLs in force — one per CA that issued a certificate on the path
 * (the issuing CA's for end entities, the root's for the issuing CA).
 */
export interface CrlSource {
  current (): readonly LoadedCrl[]
}

function malformed (detail: string, cause?: unknown): never {
  throw errors.KEN_ERR_CRL_MALFORMED(detail, { field: 'crl', cause })
}

function parseCrl (der: Uint8Array): { crl: CertificateRevocationList, der: Uint8Array } {
  const asn1 = asn1js.fromBER(toArrayBuffer(der))
  if (asn1.offset === -1 || asn1.offset !== der.byteLength) malformed('not a single DER object')
  try {
    return { crl: new CertificateRevocationList({ schema: asn1.result }), der }
  } catch (err) {
    return malformed('not a CertificateList', err)
  }
}

function extensionValue (der: Uint8Array): asn1js.AsnType {
  const inner = asn1js.fromBER(toArrayBuffer(der))
  if (inner.offset === -1) malformed('unparseable extension')
  return inner.result
}

/** Parse and verify one CRL — PEM holding exactly one, or DER — against the configured CRL `issuers`. */
export async function loadCrl (text: string | Uint8Array, issuers: readonly CertificateFacts[]): Promise<LoadedCrl> {
  const ders = typeof text === 'string' ? fromPemAll(text, 'X509 CRL') : [text]
  if (ders.length !== 1 || ders[0] === undefined) malformed(ders.length === 0 ? 'no X509 CRL block' : 'more than one CRL')
  return await loadCrlDer(ders[0], issuers)
}

/**
 * Parse and verify every CRL in a PEM file (at least one, at most one per issuer key) — the
 * published crl.pem holds the issuing CA's CRL and the root's.
 */
export async function loadCrlBundle (text: string, issuers: readonly CertificateFacts[]): Promise<LoadedCrl[]> {
  const ders = fromPemAll(text, 'X509 CRL')
  if (ders.length === 0) malformed('no X509 CRL block')
  const out: LoadedCrl[] = []
  for (const der of ders) {
    const crl = await loadCrlDer(der, issuers)
    if (out.some((c) => c.signerSpkiSha256 === crl.signerSpkiSha256)) malformed('two CRLs from one issuer')
    out.push(crl)
  }
  return out
}

async function loadCrlDer (input: Uint8Array, issuers: readonly CertificateFacts[]): Promise<LoadedCrl> {
  const { crl, der } = parseCrl(input)
  if (crl.version !== 1) malformed('not a v2 CRL')
  if (crl.nextUpdate === undefined) malformed('no nextUpdate')
  let aki: string | undefined
  let crlNumber: bigint | undefined
  for (const e of crl.crlExtensions?.extensions ?? []) {
    const v = extensionValue(e.extnValue.valueBlock.valueHexView)
    if (e.extnID === EXT.authorityKeyIdentifier) {
      const id = new AuthorityKeyIdentifier({ schema: v }).keyIdentifier
      aki = id === undefined ? undefined : toHex(id.valueBlock.valueHexView)
    } else if (e.extnID === EXT.cRLNumber) {
      if (!(v instanceof asn1js.Integer)) malformed('cRLNumber is not an INTEGER')
      crlNumber = BigInt(`0x${toHex(v.valueBlock.valueHexView) || '0'}`)
    } else if (e.critical) {
      malformed(`unknown critical CRL extension ${e.extnID}`)
    }
  }
  if (aki === undefined) malformed('no authorityKeyIdentifier')
  if (crlNumber === undefined) malformed('no cRLNumber')

  const revoked = new Map<string, RevokedEntry>()
  for (const entry of crl.revokedCertificates ?? []) {
    let reason: RevocationReason = 'unspecified'
    for (const e of entry.crlEntryExtensions?.extensions ?? []) {
      if (e.extnID === EXT.reasonCode) {
        const v = extensionValue(e.extnValue.valueBlock.valueHexView)
        if (!(v instanceof asn1js.Enumerated)) malformed('reasonCode is not ENUMERATED')
        reason = reasonName(v.valueBlock.valueDec)
      } else if (e.critical) {
        malformed(`unknown critical CRL entry extension ${e.extnID}`)
      }
    }
    revoked.set(serialHexOf(entry.userCertificate), { reason, revokedAt: entry.revocationDate.value })
  }

  const problem = algorithmProblem(crl.signatureAlgorithm, crl.signature)
  if (problem === 'unsupported') malformed(`signature algorithm ${crl.signatureAlgorithm.algorithmId}`)
  if (problem === 'mismatch') throw errors.KEN_ERR_CRL_BAD_SIGNATURE('signatureAlgorithm differs from the signed signature field', { field: 'crl' })
  const signer = issuers.find((c) => namesEqual(c.cert.subject, crl.issuer) && c.subjectKeyId === aki)
  if (signer === undefined) throw errors.KEN_ERR_CRL_UNKNOWN_ISSUER(formatName(crl.issuer), { field: 'crl' })
  if (signer.keyUsage?.has('cRLSign') !== true) throw errors.KEN_ERR_CRL_UNKNOWN_ISSUER('signer lacks cRLSign', { field: 'crl' })
  if (!await crlSignedBy(crl, signer.cert)) throw errors.KEN_ERR_CRL_BAD_SIGNATURE(undefined, { field: 'crl' })

  return {
    pem: toPem('X509 CRL', der),
    issuer: formatName(crl.issuer),
    issuerDer: nameDer(crl.issuer),
    authorityKeyId: aki,
    signerSpkiSha256: signer.spkiSha256,
    crlNumber,
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate.value,
    revoked,
    sha256: createHash('sha256').update(der).digest('hex')
  }
}
