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
import { TokenKind, type Sha256Batch } from '../log/merkle/sha256-batch.ts'

const SHA256_BLOCK = 64
const KEY_BYTES = 32
const CONTENT_DOMAIN = Buffer.from('D', 'latin1')

/** The items of a record the search keys are made of (recordSearchKeys). */
export interface SearchNames {
  readonly nameKana: string
  readonly nameKanji: string
  readonly birthDate: string
}

/** Bytes of a message that fit the scratch buffer beside the pad; a longer one gets its own buffer. */
const SCRATCH_MESSAGE = 1024
const DIGEST_BYTES = 32

/**
 * SHA-256(scratch[0…prefix) ‖ message as UTF-8), as a binary (latin1) string: the message is written
 * into the scratch buffer after its prefix, or, longer than the room there, joined in a new buffer.
 */
function digestAfter (scratch: Buffer, prefix: number, message: string): string {
  if (Buffer.byteLength(message, 'utf8') > SCRATCH_MESSAGE) return hash('sha256', Buffer.concat([scratch.subarray(0, prefix), Buffer.from(message, 'utf8')]), 'binary')
  const length = scratch.write(message, prefix, 'utf8')
  return hash('sha256', scratch.subarray(0, prefix + length), 'binary')
}

export class BlindIndex {
  readonly #secrets: Buffer
  /**
   * Scratch buffers (the index worker makes ~9 hashes per update, index-worker.ts): inner pad ‖
   * message, outer pad ‖ inner digest, search key ‖ message. Each digest is asked of hash() as a
   * binary (latin1) string, not a Buffer: a Buffer is a new ArrayBuffer per call (a malloc, and work
   * for the GC's ArrayBuffer sweeper on another thread), which cost the hash() call twice the CPU
   * (~1,040 against ~450 ns for 96 bytes; issue 18).
   */
  readonly #inner = Buffer.alloc(SHA256_BLOCK + SCRATCH_MESSAGE, 0x36)
  readonly #outer = Buffer.alloc(SHA256_BLOCK + DIGEST_BYTES, 0x5c)
  readonly #search = Buffer.alloc(KEY_BYTES + SCRATCH_MESSAGE)

  /** @param secrets index key ‖ search key (32 bytes each, HKDF-derived in keyring.ts) */
  constructor (secrets: Uint8Array) {
    if (secrets.length !== 2 * KEY_BYTES) throw new RangeError('blind-index secrets are 64 bytes')
    this.#secrets = Buffer.from(secrets)
    for (let i = 0; i < KEY_BYTES; i++) {
      this.#inner[i] = (this.#secrets[i] ?? 0) ^ 0x36
      this.#outer[i] = (this.#secrets[i] ?? 0) ^ 0x5c
    }
    this.#secrets.copy(this.#search, 0, KEY_BYTES)
  }

  /** HMAC-SHA-256(index key, domain ‖ value), truncated (RFC 2104 §5). */
  token (domain: string, value: string): Buffer {
    return this.#copy(this.#hmac(domain + value))
  }

  /**
   * The blind tag of a record's reconciliation digest (keyring.ts contentTag): HMAC under the index
   * key of 'D' ‖ the digest, truncated.
   */
  contentTag (r: DigestInput): Buffer {
    return this.#copy(this.#contentTag(r))
  }

  searchToken (domain: SearchDomain, value: string): Buffer {
    return this.#copy(this.#searchDigest(domain + value))
  }

  /** HMAC-SHA-256 under the index key of `message` (UTF-8), as a binary (latin1) string of its 32 bytes. */
  #hmac (message: string): string {
    return this.#outerHash(digestAfter(this.#inner, SHA256_BLOCK, message))
  }

  #contentTag (r: DigestInput): string {
    this.#inner.set(CONTENT_DOMAIN, SHA256_BLOCK)
    this.#inner.set(contentDigest(r), SHA256_BLOCK + CONTENT_DOMAIN.length)
    return this.#outerHash(hash('sha256', this.#inner.subarray(0, SHA256_BLOCK + CONTENT_DOMAIN.length + DIGEST_BYTES), 'binary'))
  }

  #outerHash (inner: string): string {
    this.#outer.write(inner, SHA256_BLOCK, 'latin1')
    return hash('sha256', this.#outer, 'binary')
  }

  /** SHA-256(search key ‖ message), as a binary (latin1) string. */
  #searchDigest (message: string): string {
    return digestAfter(this.#search, KEY_BYTES, message)
  }

  #copy (digest: string): Buffer {
    const token = Buffer.allocUnsafe(TOKEN_BYTES)
    token.write(digest, 0, TOKEN_BYTES, 'latin1')
    return token
  }

  /** The search keys of a record (search-keys.ts recordSearchKeys). */
  searchKeys (r: SearchNames): Buffer[] {
    return recordSearchKeys((domain, value) => this.searchToken(domain, value), r)
  }

  /**
   * The tokens of `batch`, in the order they were added, at out[at + 16i, +16): one call of the
   * sha256-batch addon's `tokens` (or its node:crypto twin) for what {@link token},
   * {@link searchToken} and {@link contentTag} make one hash() call at a time.
   */
  tokensInto (batch: TokenBatch, hasher: Pick<Sha256Batch, 'tokens'>, out: Uint8Array, at: number): void {
    hasher.tokens(this.#secrets, batch.messages, batch.spans, batch.count, out, at)
  }

  /** A copy of the secrets, for a worker thread of this process that computes the same indexes. */
  secrets (): Buffer {
    return Buffer.from(this.#secrets)
  }

  /** Wipe the secrets (the index can no longer be used). */
  wipe (): void {
    this.#secrets.fill(0)
    this.#inner.fill(0)
    this.#outer.fill(0)
    this.#search.fill(0)
  }
}

/** UTF-8 bytes a UTF-16 code unit may take at most. */
const UTF8_PER_UNIT = 3

/**
 * Blind indexes to make, gathered for one call (BlindIndex#tokensInto; the index worker makes ~9 per
 * update, index-worker.ts): each message written once, as UTF-8, into one buffer that grows as needed.
 */
export class TokenBatch {
  messages = Buffer.allocUnsafeSlow(16 * 1024)
  spans = new Int32Array(3 * 256)
  count = 0
  #length = 0

  /** Empty it for the next request (the buffers are kept). */
  reset (): void {
    this.count = 0
    this.#length = 0
  }

  /** HMAC-SHA-256(index key, domain ‖ value), as BlindIndex#token. */
  token (domain: string, value: string): void {
    this.#add(TokenKind.HMAC, domain, value, undefined)
  }

  /** SHA-256(search key ‖ domain ‖ value), as BlindIndex#searchToken. */
  searchToken (domain: SearchDomain, value: string): void {
    this.#add(TokenKind.SEARCH, domain, value, undefined)
  }

  /** The blind tag of a record's reconciliation digest, as BlindIndex#contentTag. */
  contentTag (r: DigestInput): void {
    this.#add(TokenKind.HMAC, 'D', '', contentDigest(r))
  }

  #add (kind: TokenKind, domain: string, value: string, bytes: Uint8Array | undefined): void {
    const most = domain.length + UTF8_PER_UNIT * value.length + (bytes?.length ?? 0)
    if (this.#length + most > this.messages.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.messages.length, this.#length + most))
      this.messages.copy(grown, 0, 0, this.#length)
      this.messages = grown
    }
    if (3 * (this.count + 1) > this.spans.length) {
      const grown = new Int32Array(2 * this.spans.length)
      grown.set(this.spans)
      this.spans = grown
    }
    const start = this.#length
    let end = start + this.messages.write(domain, start, 'utf8')
    if (value !== '') end += this.messages.write(value, end, 'utf8')
    if (bytes !== undefined) {
      this.messages.set(bytes, end)
      end += bytes.length
    }
    this.spans[3 * this.count] = start
    this.spans[3 * this.count + 1] = end
    this.spans[3 * this.count + 2] = kind
    this.count++
    this.#length = end
  }
}
