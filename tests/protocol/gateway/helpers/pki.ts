/**
 * The PKI of the gateway's protocol tests, made with certs/ (devPki and the CA): our CA with CS
 * credentials, plus what must be refused — an expired CS certificate from our CA, a revoked one,
 * a CS certificate from an unknown CA, and a certificate of our CA that is not a CS's (the server's).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { devPki } from '../../../../certs/src/dev-pki.ts'
import { openCa } from '../../../../certs/src/certificate-authority.ts'
import { tempDirUntilExit } from '../../../helpers/temp-dir.ts'

export interface Credential {
  readonly cert: string
  readonly key: string
  readonly serialHex?: string
}

export interface TestPki {
  readonly dir: string
  readonly caFile: string
  readonly certFile: string
  readonly keyFile: string
  readonly crlFile: string
  readonly ca: string
  readonly cs: ReadonlyMap<string, Credential>
  readonly expired: Credential
  readonly revoked: Credential
  readonly unknownCa: Credential
  readonly notCs: Credential
  /** Issue a fresh CS credential from our CA (e.g. to revoke it later). */
  issue: (code: string) => Promise<Credential & { serialHex: string }>
  /** Revoke `serialHex` and write a new CRL file. */
  revoke: (serialHex: string) => Promise<void>
}

const DAY = 86_400_000

/** Make the PKI in a fresh temporary directory. The CA dates from 30 days ago. */
export async function makeTestPki (codes: readonly string[]): Promise<TestPki> {
  const root = tempDirUntilExit('ken-gw-pki-')
  const dir = join(root, 'pki')
  const past = new Date(Date.now() - 30 * DAY)
  await devPki(dir, codes, { clock: () => past })
  const caDir = join(dir, 'ca')
  const expired = await openCa(caDir, { clock: () => past }).issueCs({ municipalityCode: codes[0] ?? '401307', validityDays: 1 })
  const ca = openCa(caDir)
  const crlFile = join(dir, 'crl.pem')
  const revoke = async (serialHex: string): Promise<void> => {
    await ca.revoke(serialHex, 'keyCompromise')
    writeFileSync(crlFile, (await ca.generateCrl()).pem)
  }
  const issue = async (code: string): Promise<Credential & { serialHex: string }> => {
    const c = await ca.issueCs({ municipalityCode: code })
    return { cert: c.certificatePem + c.chainPem, key: c.privateKeyPem, serialHex: c.serialHex }
  }
  const revoked = await issue(codes[0] ?? '401307')
  await revoke(revoked.serialHex)

  const otherDir = join(root, 'other-pki')
  await devPki(otherDir, [codes[0] ?? '401307'])
  const read = (d: string, f: string): string => readFileSync(join(d, f), 'utf8')
  const cs = new Map(codes.map((code) => [code, { cert: read(dir, `cs/${code}.crt`), key: read(dir, `cs/${code}.key`) }]))
  return {
    dir,
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'server.crt'),
    keyFile: join(dir, 'server.key'),
    crlFile,
    ca: read(dir, 'ca.crt'),
    cs,
    expired: { cert: expired.certificatePem + expired.chainPem, key: expired.privateKeyPem },
    revoked,
    unknownCa: { cert: read(otherDir, `cs/${codes[0] ?? '401307'}.crt`), key: read(otherDir, `cs/${codes[0] ?? '401307'}.key`) },
    notCs: { cert: read(dir, 'server.crt'), key: read(dir, 'server.key') },
    issue,
    revoke
  }
}
