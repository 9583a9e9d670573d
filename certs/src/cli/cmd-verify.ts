/**
 * ken-pki verify: say whether a certificate is acceptable and, if not, why — with the same
 * verifier the gateway and the terminal use, so the answer is the one they would give.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { errors } from '../errors.ts'
import { fromPemAll } from '../der.ts'
import { CA_FILES } from '../ca-files.ts'
import { CrlStore } from '../crl-store.ts'
import { readCertificate } from '../certificate-facts.ts'
import { parseCertificates } from '../trust-material.ts'
import { namesEqual } from '../names.ts'
import { createVerifier } from '../verifier.ts'
import type { ExpectedKind, Identity } from '../identity.ts'
import { COMMON_OPTIONS, DEFAULT_CA_DIR, strictArgs, type CliResult } from './io.ts'

function readCertFile (path: string): { leaf: Uint8Array, chain: Uint8Array[] } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    throw errors.KEN_ERR_PKI_USAGE(`cannot read ${path}`, { field: 'CERT', cause: err })
  }
  const blocks = fromPemAll(bytes.toString('latin1'), 'CERTIFICATE')
  const [leaf, ...chain] = blocks.length > 0 ? blocks : [new Uint8Array(bytes)]
  return { leaf: leaf ?? new Uint8Array(), chain }
}

function inferKind (der: Uint8Array): ExpectedKind {
  const uris = readCertificate(der).altNames.uri
  if (uris.some((u) => u.startsWith('urn:ken:cs:'))) return 'cs'
  if (uris.some((u) => u.startsWith('urn:ken:operator:'))) return 'operator'
  return 'server'
}

function describe (id: Identity): CliResult {
  const who: CliResult = id.kind === 'cs'
    ? { municipality: id.municipalityCode }
    : id.kind === 'operator' ? { id: id.id, role: id.role } : { dns: id.dnsNames, ip: id.ipAddresses }
  return { acceptable: true, kind: id.kind, ...who, serial: id.serialHex, subject: id.subject, notAfter: id.notAfter.toISOString() }
}

/** `verify CERT [--ca DIR | --trust BUNDLE] [--crl FILE] [--at ISO] [--expect KIND] [--stale-crl MODE]` */
export async function cmdVerify (args: readonly string[]): Promise<CliResult> {
  const { values, positionals } = strictArgs(args, {
    ...COMMON_OPTIONS, trust: { type: 'string' }, crl: { type: 'string' }, at: { type: 'string' }, expect: { type: 'string' }, 'stale-crl': { type: 'string' }
  }, true)
  if (positionals.length !== 1 || positionals[0] === undefined) throw errors.KEN_ERR_PKI_USAGE('verify needs exactly one certificate file', { field: 'CERT' })
  if (values.ca !== undefined && values.trust !== undefined) throw errors.KEN_ERR_PKI_USAGE('give --ca or --trust, not both', { field: 'trust' })
  const at = values.at === undefined ? undefined : new Date(values.at)
  if (at !== undefined && (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(values.at ?? '') || Number.isNaN(at.getTime()))) throw errors.KEN_ERR_PKI_BAD_DATE(values.at, { field: 'at' })
  const expect = values.expect
  if (expect !== undefined && expect !== 'cs' && expect !== 'operator' && expect !== 'server') throw errors.KEN_ERR_PKI_USAGE('--expect must be cs, operator or server', { field: 'expect' })
  const stale = values['stale-crl'] ?? 'fail'
  if (stale !== 'fail' && stale !== 'warn') throw errors.KEN_ERR_PKI_USAGE('--stale-crl must be fail or warn', { field: 'stale-crl' })

  const caDir = values.ca ?? DEFAULT_CA_DIR
  const trustText = values.trust === undefined
    ? readFileSync(join(caDir, CA_FILES.bundle), 'utf8')
    : readFileSync(values.trust, 'utf8')
  const trust = parseCertificates(trustText, values.trust === undefined ? 'ca.crt' : 'trust')
  const anchors = trust.filter((c) => namesEqual(c.cert.subject, c.cert.issuer)).map((c) => c.der)
  const intermediates = trust.filter((c) => !namesEqual(c.cert.subject, c.cert.issuer)).map((c) => c.der)
  const crlPath = values.crl ?? (values.trust === undefined ? join(caDir, CA_FILES.crl) : undefined)
  if (crlPath === undefined) throw errors.KEN_ERR_PKI_USAGE('--crl is required with --trust', { field: 'crl' })
  const { leaf, chain } = readCertFile(positionals[0])

  const warnings: string[] = []
  try {
    const crl = await CrlStore.open({ path: crlPath, issuers: trustText, watch: false })
    const verifier = createVerifier({
      trustAnchors: anchors,
      intermediates,
      crl,
      clock: () => at ?? new Date(),
      staleCrl: stale,
      expect: expect ?? inferKind(leaf),
      onWarning: (w) => warnings.push(`${w.code}: ${w.message}`)
    })
    const identity = await verifier.verify(leaf, chain)
    return { ...describe(identity), ...(warnings.length > 0 ? { warnings } : {}) }
  } catch (err) {
    if (!isKenError(err)) throw err
    return { acceptable: false, code: err.code, reason: err.message, ...(warnings.length > 0 ? { warnings } : {}) }
  }
}
