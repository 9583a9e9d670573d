/**
 * The CRLs in force, reloadable without a restart (SPEC §3). The store loads the CRL file (the
 * issuing CA's CRL and the root's, as `ken-pki crl` writes it), verifies every CRL against the
 * configured issuers, and reloads the file when it changes (fs.watch on its directory, so an atomic
 * rename is seen) and when {@link CrlStore.reload} is called (the gateway calls it on SIGHUP).
 * A new file that does not verify, or in which an issuer's cRLNumber goes backwards (RFC 5280
 * §5.2.3 — an old CRL replayed would un-revoke certificates), is refused as a whole: the old CRLs
 * stay in force and a `refused` event carries the coded error. A good one replaces them and emits
 * `loaded`. Events, not thrown errors, because a daemon must keep serving on a bad file.
 */
import { EventEmitter } from 'node:events'
import { watch, type FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname } from 'node:path'
import type { KenError } from '../../proto/src/ken-error.ts'
import { isKenError } from '../../proto/src/ken-error.ts'
import { errors } from './errors.ts'
import { loadCrlBundle, type CrlSource, type LoadedCrl } from './crl-load.ts'
import { parseCertificates, type CertificateInput } from './trust-material.ts'
import type { CertificateFacts } from './certificate-facts.ts'

/** Options of {@link CrlStore.open}. */
export interface CrlStoreOptions {
  /** The CRL file (PEM), e.g. var/pki/crl.pem. */
  readonly path: string
  /**
   * The CA certificates that sign the CRLs in the file: the issuing CA and the root — pass the
   * ca.crt bundle. A CRL whose signer is not here makes the whole file refused.
   */
  readonly issuers: CertificateInput
  /** Reload when the file changes (default true). */
  readonly watch?: boolean
  /** Quiet time after the last change event before reloading, in ms (default 100). */
  readonly debounceMs?: number
}

/** Summary of one CRL put in force, for the `loaded` event and logs. */
export interface CrlSummary {
  readonly issuer: string
  readonly crlNumber: bigint
  readonly thisUpdate: Date
  readonly nextUpdate: Date
  readonly entries: number
  readonly sha256: string
}

/** What the `loaded` event carries: every CRL now in force. */
export interface CrlLoadedEvent {
  readonly crls: readonly CrlSummary[]
}

/** Outcome of one {@link CrlStore.reload}. */
export type CrlReloadResult =
  | { readonly status: 'loaded', readonly crl: CrlLoadedEvent }
  | { readonly status: 'unchanged' }
  | { readonly status: 'refused', readonly error: KenError }

/** Events of a {@link CrlStore}. */
export interface CrlStoreEvents {
  loaded: [CrlLoadedEvent]
  refused: [KenError]
}

function summary (crls: readonly LoadedCrl[]): CrlLoadedEvent {
  return { crls: crls.map((c) => ({ issuer: c.issuer, crlNumber: c.crlNumber, thisUpdate: c.thisUpdate, nextUpdate: c.nextUpdate, entries: c.revoked.size, sha256: c.sha256 })) }
}

function sameSet (a: readonly LoadedCrl[], b: readonly LoadedCrl[]): boolean {
  return a.length === b.length && a.every((c, i) => c.sha256 === b[i]?.sha256)
}

/** The current CRLs, kept verified and fresh from their file. */
export class CrlStore extends EventEmitter<CrlStoreEvents> implements CrlSource {
  readonly path: string
  readonly #issuers: readonly CertificateFacts[]
  #current: readonly LoadedCrl[]
  #watcher: FSWatcher | undefined
  #timer: NodeJS.Timeout | undefined
  #queue: Promise<unknown> = Promise.resolve()

  private constructor (path: string, issuers: readonly CertificateFacts[], first: readonly LoadedCrl[]) {
    super()
    this.path = path
    this.#issuers = issuers
    this.#current = first
  }

  /**
   * Load the CRL file and start watching it. Throws the coded error when the first CRL is missing
   * or bad: with no valid CRL the gateway must not start (fail closed).
   */
  static async open (opts: CrlStoreOptions): Promise<CrlStore> {
    const issuers = parseCertificates(opts.issuers, 'issuers')
    const first = await loadCrlBundle(await readCrlFile(opts.path), issuers)
    const store = new CrlStore(opts.path, issuers, first)
    if (opts.watch !== false) store.#watch(opts.debounceMs ?? 100)
    return store
  }

  /** The CRLs in force. */
  current (): readonly LoadedCrl[] {
    return this.#current
  }

  /** The CRLs in force, verified, one PEM string each — node:tls's `crl` option takes this array. */
  get pems (): string[] {
    return this.#current.map((c) => c.pem)
  }

  /** Re-read the file now. Never rejects: the outcome is returned and emitted. */
  async reload (): Promise<CrlReloadResult> {
    const run = this.#queue.then(async () => await this.#reloadOnce())
    this.#queue = run
    return await run
  }

  async #reloadOnce (): Promise<CrlReloadResult> {
    let next: readonly LoadedCrl[]
    try {
      next = await this.#readNext()
    } catch (err) {
      const error = isKenError(err) ? err : errors.KEN_ERR_CRL_MALFORMED(undefined, { field: 'crl', cause: err })
      this.emit('refused', error)
      return { status: 'refused', error }
    }
    if (sameSet(next, this.#current)) return { status: 'unchanged' }
    this.#current = next
    const loaded = summary(next)
    this.emit('loaded', loaded)
    return { status: 'loaded', crl: loaded }
  }

  /** The file's CRLs, verified and checked against the ones in force. */
  async #readNext (): Promise<readonly LoadedCrl[]> {
    const next = await loadCrlBundle(await readCrlFile(this.path), this.#issuers)
    for (const old of this.#current) {
      const crl = next.find((c) => c.signerSpkiSha256 === old.signerSpkiSha256)
      // Dropping an issuer's CRL would make every certificate below it unverifiable.
      if (crl === undefined) throw errors.KEN_ERR_CRL_MALFORMED(`the file no longer holds the CRL of ${old.issuer}`, { field: 'crl' })
      // §5.2.3: a CRL issuer's CRL numbers increase; a lower one is an old CRL replayed.
      if (crl.sha256 !== old.sha256 && crl.crlNumber <= old.crlNumber) {
        throw errors.KEN_ERR_CRL_ROLLBACK(`${crl.issuer}: ${crl.crlNumber} after ${old.crlNumber}`, { field: 'crl' })
      }
    }
    return next
  }

  #watch (debounceMs: number): void {
    const name = basename(this.path)
    this.#watcher = watch(dirname(this.path), (_event, filename) => {
      if (filename !== null && filename !== name) return
      clearTimeout(this.#timer)
      this.#timer = setTimeout(() => { void this.reload() }, debounceMs)
    })
    this.#watcher.on('error', (err) => {
      this.emit('refused', errors.KEN_ERR_CRL_UNAVAILABLE('watching the CRL file failed; reload on SIGHUP only', { field: this.path, cause: err }))
    })
  }

  /** Stop watching (a watching store keeps the process alive until closed). The CRL in force stays readable. */
  close (): void {
    clearTimeout(this.#timer)
    this.#watcher?.close()
    this.#watcher = undefined
  }
}

async function readCrlFile (path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw errors.KEN_ERR_CRL_UNAVAILABLE(`cannot read ${basename(path)}`, { field: path, cause: err })
  }
}
