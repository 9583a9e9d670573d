/**
 * The prefecture's CA as an object: open a CA directory, issue, revoke, generate CRLs. Operations
 * run one at a time — serialised within the process and locked across processes — because each
 * reads and advances the serial counter or the CRL number. The CA's private keys stay in the
 * directory: no method returns them.
 */
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { withCaLock } from './ca-lock.ts'
import { CA_FILES, loadCaCertificates } from './ca-files.ts'
import { initCaDirectory, type InitOptions } from './ca-init.ts'
import { issueLeaves, type IssuedCredential, type LeafRequest } from './ca-issue.ts'
import { revokeSerial } from './ca-revoke.ts'
import { generateCrl, type GeneratedCrl } from './crl-build.ts'
import { readCaState, type IssuedRecord, type RevokedRecord } from './ca-state.ts'
import type { OperatorRole } from './identity-names.ts'
import type { RevocationReason } from './revocation-reasons.ts'

/** Options of {@link openCa}. */
export interface CaOptions {
  /** The CA's clock (tests inject one); defaults to the system clock. */
  readonly clock?: () => Date
}

/** A CA directory, opened. */
export class CertificateAuthority {
  readonly dir: string
  readonly #clock: () => Date
  #queue: Promise<unknown> = Promise.resolve()

  /** Use {@link openCa} or {@link initCa}. */
  constructor (dir: string, opts: CaOptions = {}) {
    this.dir = dir
    this.#clock = opts.clock ?? (() => new Date())
  }

  #exclusive<T> (fn: (now: Date) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => await withCaLock(this.dir, async () => await fn(this.#clock())))
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** The root CA certificate (the trust anchor), PEM. */
  get rootPem (): string { return loadCaCertificates(this.dir).rootPem }
  /** The issuing CA certificate, PEM. */
  get issuingPem (): string { return loadCaCertificates(this.dir).issuingPem }
  /** issuing + root, PEM: node:tls `ca`. */
  get bundlePem (): string { return readFileSync(join(this.dir, CA_FILES.bundle), 'utf8') }

  async #one (req: LeafRequest): Promise<IssuedCredential> {
    const [cred] = await this.issueMany([req])
    if (cred === undefined) throw new Error('issueMany returned nothing for one request')
    return cred
  }

  /** Issue several certificates under one lock and one state write (the development PKI's 60 CS certificates). */
  async issueMany (reqs: readonly LeafRequest[]): Promise<IssuedCredential[]> {
    return await this.#exclusive(async (now) => await issueLeaves(this.dir, reqs, now))
  }

  /** Issue a TLS server certificate for DNS names and/or IP addresses (the first is the CN). */
  async issueServer (req: { readonly names: readonly string[], readonly validityDays?: number }): Promise<IssuedCredential> {
    return await this.#one({ kind: 'server', ...req })
  }

  /** Issue a municipality CS device certificate (the code's check digit is validated). */
  async issueCs (req: { readonly municipalityCode: string, readonly validityDays?: number }): Promise<IssuedCredential> {
    return await this.#one({ kind: 'cs', ...req })
  }

  /** Issue an operator / administrator / security officer / technician credential, key encrypted under `pin`. */
  async issueOperator (req: { readonly id: string, readonly role: OperatorRole, readonly pin: string, readonly validityDays?: number }): Promise<IssuedCredential> {
    return await this.#one({ kind: 'operator', ...req })
  }

  /** Issue ken-national's client certificate for the national server (SPEC §5.1), for a 都道府県コード. */
  async issueNationalClient (req: { readonly prefectureCode: string, readonly validityDays?: number }): Promise<IssuedCredential> {
    return await this.#one({ kind: 'national-client', ...req })
  }

  /** Record a revocation; publish it with {@link generateCrl}. */
  async revoke (serialHex: string, reason: RevocationReason): Promise<RevokedRecord> {
    return await this.#exclusive(async (now) => revokeSerial(this.dir, serialHex, reason, now))
  }

  /** Sign a new CRL (default lifetime 7 days); also written to the CA directory's crl.pem. */
  async generateCrl (opts: { readonly validityDays?: number } = {}): Promise<GeneratedCrl> {
    return await this.#exclusive(async (now) => await generateCrl(this.dir, now, opts.validityDays))
  }

  /** The index of issued certificates and the revocation database. */
  records (): { readonly issued: readonly IssuedRecord[], readonly revoked: readonly RevokedRecord[] } {
    const s = readCaState(join(this.dir, CA_FILES.state))
    return { issued: s.issued, revoked: s.revoked }
  }
}

/** Open the CA in `dir`; KEN_ERR_PKI_CA_NOT_FOUND or KEN_ERR_PKI_CA_CORRUPT when it is not usable. */
export function openCa (dir: string, opts: CaOptions = {}): CertificateAuthority {
  readCaState(join(dir, CA_FILES.state))
  loadCaCertificates(dir)
  return new CertificateAuthority(dir, opts)
}

/** Create a new root + issuing CA in `dir` and open it. */
export async function initCa (dir: string, opts: InitOptions = {}): Promise<CertificateAuthority> {
  await initCaDirectory(dir, opts)
  return new CertificateAuthority(dir, opts.clock === undefined ? {} : { clock: opts.clock })
}
