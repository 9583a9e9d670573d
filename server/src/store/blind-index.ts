/**
 * The blind indexes of the ingest path (SPEC §4: no identifier or name on disk in clear), as one
 * pure computation that the store's thread (keyring.ts) and the index worker (index-worker.ts) both
 * run, so an index made ahead in the worker is byte for byte the one the planner would make.
 * - a 住民票コード or 個人番号: HMAC-SHA-256(index key, domain ‖ value) truncated to 128 bits (RFC 2104)
 * - a search key (search-keys.ts): SHA-256(search key ‖ domain ‖ value) truncated (keyring.ts says why)
 */
import { hash } from 'node:crypto'
import { contentDigest, type DigestInput } from '../../../proto/src/reconcile-digest.ts'
import { recordSearchKeys, type SearchDomain } from './search-keys.ts'
import { TOKEN_BYTES } from './layout.ts'

const SHA256_BLOCK = 64
const KEY_BYTES = 32
const CONTENT_DOMAIN = Buffer.from('D', 'latin1')

/** The items of a record the search keys are made of (recordSearchKeys). */
export interface SearchNames {
  readonly nameKana: string
  readonly nameKanji: string
  readonly birthDate: string
}

export class BlindIndex {
  readonly #secrets: Buffer
  readonly #innerPad = Buffer.alloc(SHA256_BLOCK, 0x36)
  readonly #outerPad = Buffer.alloc(SHA256_BLOCK, 0x5c)
  readonly #searchKey: Buffer

  /** @param secrets index key ‖ search key (32 bytes each, HKDF-derived in keyring.ts) */
  constructor (secrets: Uint8Array) {
    if (secrets.length !== 2 * KEY_BYTES) throw new RangeError('blind-index secrets are 64 bytes')
    this.#secrets = Buffer.from(secrets)
    for (let i = 0; i < KEY_BYTES; i++) {
      this.#innerPad[i] = (this.#secrets[i] ?? 0) ^ 0x36
      this.#outerPad[i] = (this.#secrets[i] ?? 0) ^ 0x5c
    }
    this.#searchKey = this.#secrets.subarray(KEY_BYTES)
  }

  /** HMAC-SHA-256(index key, domain ‖ value), truncated (RFC 2104 §5). */
  token (domain: string, value: string): Buffer {
    const message = Buffer.from(domain + value, 'utf8')
    const inner = hash('sha256', Buffer.concat([this.#innerPad, message]), 'buffer')
    return hash('sha256', Buffer.concat([this.#outerPad, inner]), 'buffer').subarray(0, TOKEN_BYTES)
  }

  /**
   * The blind tag of a record's reconciliation digest (keyring.ts contentTag): HMAC under the index
   * key of 'D' ‖ the digest, truncated.
   */
  contentTag (r: DigestInput): Buffer {
    const inner = hash('sha256', Buffer.concat([this.#innerPad, CONTENT_DOMAIN, contentDigest(r)]), 'buffer')
    return hash('sha256', Buffer.concat([this.#outerPad, inner]), 'buffer').subarray(0, TOKEN_BYTES)
  }

  searchToken (domain: SearchDomain, value: string): Buffer {
    return hash('sha256', Buffer.concat([this.#searchKey, Buffer.from(domain + value, 'utf8')]), 'buffer').subarray(0, TOKEN_BYTES)
  }

  /** The search keys of a record (search-keys.ts recordSearchKeys). */
  searchKeys (r: SearchNames): Buffer[] {
    return recordSearchKeys((domain, value) => this.searchToken(domain, value), r)
  }

  /** A copy of the secrets, for a worker thread of this process that computes the same indexes. */
  secrets (): Buffer {
    return Buffer.from(this.#secrets)
  }

  /** Wipe the secrets (the index can no longer be used). */
  wipe (): void {
    this.#secrets.fill(0)
    this.#innerPad.fill(0)
    this.#outerPad.fill(0)
  }
}

/** The memo key of a record's search keys. */
export function searchNamesId (r: SearchNames): string {
  return `${r.nameKana}\u0000${r.nameKanji}\u0000${r.birthDate}`
}
