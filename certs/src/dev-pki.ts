/**
 * The development PKI: everything the appliance, the CS simulator and the tests need, generated
 * into one directory (the appliance uses `var/pki/`), idempotently — only what is missing, or no
 * longer valid under the current CA, is (re)made:
 *
 *   ca/                    the CA directory (keys 0600; never read by the daemons)
 *   root.crt issuing.crt   the trust anchor and the issuing CA
 *   ca.crt                 issuing + root: node:tls `ca`
 *   server.crt server.key  localhost / 127.0.0.1 / ::1
 *   cs/<code>.crt .key     one CS credential per municipality
 *   operators/OP001.crt .key, operators/TE001.crt .key   operator and technician, key under DEV_PIN
 *   national/ken-national.crt .key   ken-national's client certificate (when asked for)
 *   crl.pem                the issuing CA's CRL
 *   README.txt             this layout and the development PIN
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { errors } from './errors.ts'
import { fromPemAll } from './der.ts'
import { initCa, openCa, type CertificateAuthority } from './certificate-authority.ts'
import type { LeafRequest } from './ca-issue.ts'
import { CA_FILES, loadCaCertificates } from './ca-files.ts'
import { readCertificate, type CertificateFacts } from './certificate-facts.ts'
import { certificateSignedBy } from './signatures.ts'
import { writeCredential } from './credential-files.ts'
import { replaceFile, PUBLIC_MODE } from './files.ts'
import { loadCrlBundle } from './crl-load.ts'
import { isValidMunicipalityCode, type OperatorRole } from './identity-names.ts'
import { addDays } from './time.ts'

/** The PIN of the development operator and technician keys. Development only. */
export const DEV_PIN = 'dev-pin-0000'

/** Options of {@link devPki}. */
export interface DevPkiOptions {
  readonly organization?: string
  readonly serverNames?: readonly string[]
  readonly people?: ReadonlyArray<{ readonly id: string, readonly role: OperatorRole }>
  readonly clock?: () => Date
  /** Also issue ken-national's client certificate for this 都道府県コード (`national/ken-national.crt`). */
  readonly nationalClient?: string
}

/** What {@link devPki} made, relative to its directory (empty when everything was in place). */
export interface DevPkiResult {
  readonly dir: string
  readonly caDir: string
  readonly created: readonly string[]
}

const DEFAULT_PEOPLE = [{ id: 'OP001', role: 'operator' }, { id: 'TE001', role: 'technician' }] as const
/** One credential the development PKI should hold: `<sub>/<name>.crt` and `.key`. */
interface Wanted {
  readonly sub: string
  readonly name: string
  readonly req: LeafRequest
}

/** Reissue a leaf that has less than this left. */
const RENEW_MARGIN_DAYS = 30

interface Ctx {
  readonly dir: string
  readonly ca: CertificateAuthority
  readonly root: CertificateFacts
  readonly issuing: CertificateFacts
  readonly revoked: ReadonlySet<string>
  readonly now: Date
  readonly created: string[]
}

/** Generate what is missing of the development PKI in `dir` for these municipalities. */
export async function devPki (dir: string, municipalityCodes: readonly string[], opts: DevPkiOptions = {}): Promise<DevPkiResult> {
  for (const code of municipalityCodes) {
    if (!isValidMunicipalityCode(code)) throw errors.KEN_ERR_PKI_BAD_MUNICIPALITY_CODE(code, { field: 'municipalityCodes' })
  }
  const clock = opts.clock ?? (() => new Date())
  mkdirSync(dir, { recursive: true, mode: 0o755 })
  const caDir = join(dir, 'ca')
  const created: string[] = []
  let ca: CertificateAuthority
  if (existsSync(join(caDir, CA_FILES.state))) {
    ca = openCa(caDir, { clock })
  } else {
    ca = await initCa(caDir, { clock, ...(opts.organization === undefined ? {} : { organization: opts.organization }) })
    created.push('ca/')
  }
  const certs = loadCaCertificates(caDir)
  publish(dir, 'root.crt', certs.rootPem, created)
  publish(dir, 'issuing.crt', certs.issuingPem, created)
  publish(dir, 'ca.crt', certs.issuingPem + certs.rootPem, created)
  const ctx: Ctx = { dir, ca, root: certs.root, issuing: certs.issuing, revoked: new Set(ca.records().revoked.map((r) => r.serialHex)), now: clock(), created }

  const wanted: Wanted[] = [
    { sub: '.', name: 'server', req: { kind: 'server', names: opts.serverNames ?? ['localhost', '127.0.0.1', '::1'] } },
    ...municipalityCodes.map((code): Wanted => ({ sub: 'cs', name: code, req: { kind: 'cs', municipalityCode: code } })),
    ...(opts.people ?? DEFAULT_PEOPLE).map((p): Wanted => ({ sub: 'operators', name: p.id, req: { kind: 'operator', id: p.id, role: p.role, pin: DEV_PIN } })),
    ...(opts.nationalClient === undefined ? [] : [{ sub: 'national', name: 'ken-national', req: { kind: 'national-client', prefectureCode: opts.nationalClient } } satisfies Wanted])
  ]
  const present = await Promise.all(wanted.map(async (w) => await usable(ctx, join(dir, w.sub, `${w.name}.crt`), join(dir, w.sub, `${w.name}.key`))))
  const missing = wanted.filter((_, i) => present[i] !== true)
  const creds = missing.length === 0 ? [] : await ca.issueMany(missing.map((w) => w.req))
  for (const [i, w] of missing.entries()) {
    const cred = creds[i]
    if (cred === undefined) continue
    const target = join(dir, w.sub)
    for (const p of [join(target, `${w.name}.crt`), join(target, `${w.name}.key`)]) if (existsSync(p)) unlinkSync(p)
    writeCredential(target, w.name, cred)
    created.push(join(w.sub, `${w.name}.crt`))
  }
  await ensureCrl(ctx)
  publish(dir, 'README.txt', readme(), created)
  return { dir, caDir, created }
}

function publish (dir: string, name: string, content: string, created: string[]): void {
  const path = join(dir, name)
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return
  replaceFile(path, content, { mode: PUBLIC_MODE })
  created.push(name)
}

async function usable (ctx: Ctx, certPath: string, keyPath: string): Promise<boolean> {
  if (!existsSync(certPath) || !existsSync(keyPath)) return false
  const der = fromPemAll(readFileSync(certPath, 'utf8'), 'CERTIFICATE')[0]
  if (der === undefined) return false
  let leaf: CertificateFacts
  try {
    leaf = readCertificate(der)
  } catch {
    return false
  }
  return leaf.authorityKeyId === ctx.issuing.subjectKeyId &&
    !ctx.revoked.has(leaf.serialHex) &&
    addDays(ctx.now, RENEW_MARGIN_DAYS) < leaf.notAfter &&
    await certificateSignedBy(leaf.cert, ctx.issuing.cert)
}

async function ensureCrl (ctx: Ctx): Promise<void> {
  const path = join(ctx.dir, 'crl.pem')
  if (existsSync(path)) {
    try {
      const crls = await loadCrlBundle(readFileSync(path, 'utf8'), [ctx.issuing, ctx.root])
      const listed = new Set(crls.flatMap((c) => [...c.revoked.keys()]))
      const complete = crls.length === 2 && [...ctx.revoked].every((s) => listed.has(s))
      const fresh = crls.every((c) => ctx.now.getTime() < (c.thisUpdate.getTime() + c.nextUpdate.getTime()) / 2)
      if (complete && fresh) return
    } catch {
      // unusable under the current CA: regenerate below
    }
  }
  const crl = await ctx.ca.generateCrl()
  replaceFile(path, crl.pem, { mode: PUBLIC_MODE })
  ctx.created.push('crl.pem')
}

function readme (): string {
  return [
    'ken-server development PKI — generated by certs/src/dev-pki.ts. NOT FOR PRODUCTION.',
    '',
    'ca/                      the CA (root + issuing keys, mode 0600, state.json); used only by ken-pki',
    'root.crt                 trust anchor (ECDSA P-256, pathLen 1)',
    'issuing.crt              issuing CA (pathLen 0), signs every certificate below and crl.pem',
    'ca.crt                   issuing.crt + root.crt, for node:tls `ca`',
    'server.crt / server.key  TLS server: localhost, 127.0.0.1, ::1 (serverAuth)',
    'cs/<code>.crt / .key     one CS device credential per municipality (clientAuth, urn:ken:cs:<code>:<serial>)',
    'operators/OP001.crt/.key operator credential (role operator), key PIN-encrypted',
    'operators/TE001.crt/.key technician credential (role technician), key PIN-encrypted',
    'crl.pem                  CRLs of the issuing CA and of the root (7 days; renewed by devPki at half-life)',
    '',
    `Development PIN of the operator and technician keys: ${DEV_PIN}`,
    'The keys are PKCS#8 EncryptedPrivateKeyInfo (PBES2, PBKDF2-SHA256, AES-256-CBC):',
    '  openssl pkey -in operators/OP001.key -noout      (asks for the PIN)',
    '',
    'Re-running devPki only creates what is missing or no longer valid under ca/.',
    'Revoke and publish: ken-pki revoke --ca ca --serial <hex> --reason keyCompromise',
    '                    ken-pki crl --ca ca --out crl.pem   (the gateway reloads it without restart)',
    ''
  ].join('\n')
}
