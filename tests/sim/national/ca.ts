/**
 * The national server simulator's own PKI (SPEC §5.1 "its own CA"), made with certs/: a root and
 * issuing CA of its own in `dir/ca`, and a TLS server certificate for localhost / 127.0.0.1 / ::1.
 * ken-national trusts this CA only for the national link — configured apart from the prefecture's CA.
 * `expired` makes a server certificate whose validity ended yesterday (for the refusal tests).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { initCa, openCa } from '../../../certs/src/certificate-authority.ts'
import { writeCredential } from '../../../certs/src/credential-files.ts'
import { loadCaCertificates } from '../../../certs/src/ca-files.ts'

export interface NationalPki {
  /** The national CA bundle (issuing + root): what ken-national is configured to trust. */
  readonly caFile: string
  readonly certFile: string
  readonly keyFile: string
}

const NAMES = ['localhost', '127.0.0.1', '::1']
const DAY = 86_400_000

/** Make (or reuse) the simulator's CA in `dir` and a server credential named `name`. */
export async function nationalPki (dir: string, options: { readonly name?: string, readonly expired?: boolean, readonly organization?: string } = {}): Promise<NationalPki> {
  const caDir = join(dir, 'ca')
  const name = options.name ?? 'national-server'
  // An expired certificate is issued by a CA whose clock stands 30 days back, valid for one day.
  const clock = options.expired === true ? () => new Date(Date.now() - 30 * DAY) : () => new Date()
  const ca = existsSync(join(caDir, 'state.json'))
    ? openCa(caDir, { clock })
    : await initCa(caDir, { organization: options.organization ?? 'J-LIS national server simulator', clock: () => new Date(Date.now() - 60 * DAY) })
  const caFile = join(dir, 'national-ca.crt')
  const certs = loadCaCertificates(caDir)
  writeFileSync(caFile, certs.issuingPem + certs.rootPem)
  const certFile = join(dir, `${name}.crt`)
  const keyFile = join(dir, `${name}.key`)
  if (!existsSync(certFile)) {
    const cred = await ca.issueServer({ names: NAMES, ...(options.expired === true ? { validityDays: 1 } : {}) })
    writeCredential(dir, name, cred)
  }
  return { caFile, certFile, keyFile }
}

/** The PEM text of a PKI's files, as node:tls takes them. */
export function readPki (pki: NationalPki): { ca: Buffer, cert: Buffer, key: Buffer } {
  return { ca: readFileSync(pki.caFile), cert: readFileSync(pki.certFile), key: readFileSync(pki.keyFile) }
}
