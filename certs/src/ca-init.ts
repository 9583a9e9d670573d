/**
 * `init`: create the root CA (pathLen 1, keyCertSign|cRLSign, 10 years) and the issuing CA
 * (pathLen 0) signed by it, in a fresh CA directory (mode 0700). Serial 1 is the root, serial 2
 * the issuing CA; end entities start at 3.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { errors } from './errors.ts'
import { toPem } from './der.ts'
import { generateKey, pkcs8Pem } from './keys.ts'
import { buildName, formatName } from './names.ts'
import { issuingProfile, profileExtensions, rootProfile } from './profiles.ts'
import { signCertificate } from './sign-certificate.ts'
import { keyIdentifier } from './extensions.ts'
import { createFile, PUBLIC_MODE, SECRET_MODE } from './files.ts'
import { writeCaState, type CaState } from './ca-state.ts'
import { CA_FILES } from './ca-files.ts'
import { withCaLock } from './ca-lock.ts'
import { wholeSeconds } from './time.ts'

/** Options of {@link initCaDirectory}. */
export interface InitOptions {
  /** organizationName of the CA certificates, e.g. the prefecture's name. */
  readonly organization?: string
  /** CA certificate lifetime in years (default 10). */
  readonly years?: number
  readonly clock?: () => Date
}

/** The organization written into certificates when none is given. */
export const DEFAULT_ORGANIZATION = 'ken-server prefecture'

/** Backdating of notBefore, so a peer whose clock runs a little behind accepts a fresh certificate. */
export const NOT_BEFORE_SKEW_MS = 5 * 60_000

/** Create a root and an issuing CA in `dir`; KEN_ERR_PKI_CA_EXISTS when one is there already. */
export async function initCaDirectory (dir: string, opts: InitOptions = {}): Promise<void> {
  const org = opts.organization ?? DEFAULT_ORGANIZATION
  const years = opts.years ?? 10
  if (!Number.isInteger(years) || years < 1 || years > 30) throw errors.KEN_ERR_PKI_BAD_VALIDITY(`${years} years`, { field: 'years' })
  mkdirSync(dirname(dir), { recursive: true })
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 })
  await withCaLock(dir, async () => {
    if (existsSync(join(dir, CA_FILES.state)) || existsSync(join(dir, CA_FILES.rootKey))) throw errors.KEN_ERR_PKI_CA_EXISTS(undefined, { field: dir })
    const now = wholeSeconds((opts.clock ?? (() => new Date()))())
    const notBefore = new Date(now.getTime() - NOT_BEFORE_SKEW_MS)
    const notAfter = new Date(now)
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years)

    const rootKey = await generateKey()
    const issuingKey = await generateKey()
    const rootId = keyIdentifier(rootKey.spki)
    const issuingId = keyIdentifier(issuingKey.spki)
    const rootP = rootProfile(org)
    const issuingP = issuingProfile(org)
    const rootName = buildName(rootP.subject)
    const issuingName = buildName(issuingP.subject)
    const rootDer = await signCertificate({ serial: 1n, subject: rootName, issuer: rootName, notBefore, notAfter, publicKey: rootKey.spki, extensions: profileExtensions(rootP, rootId, undefined) }, rootKey.signingKey)
    const issuingDer = await signCertificate({ serial: 2n, subject: issuingName, issuer: rootName, notBefore, notAfter, publicKey: issuingKey.spki, extensions: profileExtensions(issuingP, issuingId, rootId) }, rootKey.signingKey)

    createFile(join(dir, CA_FILES.rootKey), pkcs8Pem(rootKey.pkcs8), { mode: SECRET_MODE, durable: true })
    createFile(join(dir, CA_FILES.issuingKey), pkcs8Pem(issuingKey.pkcs8), { mode: SECRET_MODE, durable: true })
    const rootPem = toPem('CERTIFICATE', rootDer)
    const issuingPem = toPem('CERTIFICATE', issuingDer)
    createFile(join(dir, CA_FILES.rootCert), rootPem, { mode: PUBLIC_MODE, durable: true })
    createFile(join(dir, CA_FILES.issuingCert), issuingPem, { mode: PUBLIC_MODE, durable: true })
    createFile(join(dir, CA_FILES.bundle), issuingPem + rootPem, { mode: PUBLIC_MODE, durable: true })
    const record = (serialHex: string, kind: 'root' | 'issuing', name: typeof rootName, cn: string): CaState['issued'][number] =>
      ({ serialHex, kind, subject: formatName(name), name: cn, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString() })
    writeCaState(join(dir, CA_FILES.state), {
      version: 1,
      organization: org,
      nextSerial: 3,
      crlNumber: 0,
      issued: [record('01', 'root', rootName, `${org} Root CA`), record('02', 'issuing', issuingName, `${org} Issuing CA`)],
      revoked: []
    })
  })
}
