/**
 * Per-resident data keys and blind indexes (SPEC §2.5 crypto-shredding, §4 encryption at rest).
 * - Each resident has a data key (256 random bits) under a key id (128 random bits) that stays with
 *   the person for life, across 住民票コード変更. Data keys are stored only wrapped (AES-256-GCM under
 *   a key derived from the appliance key) in the `keys` space; erasing the wrapped key shreds every
 *   ciphertext made with it, while the log's hash chain (over ciphertext) still verifies.
 * - A 住民票コード or 個人番号 used as a key is replaced by its blind index: HMAC-SHA-256 under a second
 *   derived key, truncated to 128 bits. Equal inputs meet; the files hold no identifier in clear.
 */
import type { SearchDomain } from './search-keys.ts'
import { hash, hkdfSync } from 'node:crypto'
import { KEY_ID_BYTES, TOKEN_BYTES } from './layout.ts'
import { open, openInto, OpenBatch, seal, sealAad, SealPurpose } from './sealing.ts'
import { randomBytesFromPool } from './random-pool.ts'
import { DATA_KEY_BYTES, makeDataKey, ownKey, type NewDataKey } from './data-key.ts'
import { KeyFactory } from './key-factory.ts'
import { BlindIndex, type SearchNames } from './blind-index.ts'
import { IndexAhead, type AheadTokens } from './index-ahead.ts'
import { AheadIndexes } from './ahead-indexes.ts'
import { KeyCache } from './key-cache.ts'
import type { AppendItem } from '../../../proto/src/types.ts'
import { contentDigest, type DigestInput } from '../../../proto/src/reconcile-digest.ts'
import { APPLIANCE_KEY_BYTES } from './appliance-key.ts'
import { errors } from './errors.ts'

const DOMAIN_JUMINHYO = 'J' as const
const DOMAIN_KOJIN = 'K' as const
/** 住民票コード are 11 ASCII digits (SPEC §2.3). */
const CODE_LENGTH = 11
/** Domain of a content tag (reconciliation digest, docs/reconciliation.md). */
const DOMAIN_CONTENT = 0x44
const SHA256_BLOCK = 64
/** Blind indexes computed recently, per domain, so one group computes each once (bounded; memory only). */
const TOKEN_MEMO = 8192

export type { NewDataKey } from './data-key.ts'

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/

/**
 * The key id of the period key of `period` (YYYY-MM): 'P' ‖ the period in ASCII, zero-padded to
 * 16 bytes. Resident key ids are random, so the leading 'P' and the padding cannot meet one by chance
 * except with probability 2^-72; the id says which month it seals, so the retention job can find
 * the keys that are due without reading anything personal.
 */
export function periodKeyId (period: string): Buffer {
  if (!PERIOD.test(period)) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('period must be YYYY-MM', { field: 'period' })
  const id = Buffer.alloc(KEY_ID_BYTES)
  id.write('P' + period, 'latin1')
  return id
}

export class Keyring {
  readonly #wrapKey: Buffer
  /** Seals the working state of reconciliation runs (server/src/store/reconcile/), never the log. */
  readonly workKey: Buffer
  /** HMAC key ⊕ ipad and ⊕ opad (RFC 2104), so a blind index is two SHA-256 calls. */
  readonly #innerPad: Buffer
  readonly #outerPad: Buffer
  readonly #index: BlindIndex
  /**
   * Blind indexes computed recently, and the subjects of 附票 updates made ahead by the index worker,
   * one map per domain keyed by the value itself: the decoded string, whose hash V8 keeps once
   * computed, where a domain ‖ value key was a fresh string to join and hash at every lookup (issue 18).
   */
  readonly #tokens = { [DOMAIN_JUMINHYO]: new Map<string, Buffer>(), [DOMAIN_KOJIN]: new Map<string, Buffer>() }
  /** The indexes of 本人確認情報 updates made ahead by the index worker (index-ahead.ts), not memoized. */
  readonly #ahead = new AheadIndexes()
  #indexAhead: IndexAhead | undefined
  /** ipad ‖ 'D' ‖ digest and opad ‖ inner hash: the HMAC of a content tag (RFC 2104). */
  readonly #tagInner = Buffer.alloc(SHA256_BLOCK + 1 + 32)
  readonly #tagOuter = Buffer.alloc(SHA256_BLOCK + 32)
  /** ipad ‖ 'J' ‖ 住民票コード and opad ‖ inner hash, for {@link subjectTokens}. */
  readonly #codeInner = Buffer.alloc(SHA256_BLOCK + 1 + CODE_LENGTH)
  readonly #codeOuter = Buffer.alloc(SHA256_BLOCK + 32)
  /**
   * Unwrapped data keys by key id, least recently used out first (key-cache.ts); at most `cacheSize` (65536).
   * Each in its own 32-byte allocation: a key made by Buffer.from / Buffer.concat is a slice of
   * Node's shared 8 KiB pool, and a cached slice keeps its whole slab alive — 65536 slabs were
   * 512 MiB of the store's RSS at 5.1 M residents (issue 18; 165 MiB measured at 200 k).
   */
  readonly #cache: KeyCache
  /** Key ids erased since start: a read that raced the erasure must not bring the key back. */
  readonly #erased = new Set<string>()
  #factory: KeyFactory | undefined

  constructor (applianceKey: Uint8Array, options: { cacheSize?: number } = {}) {
    if (applianceKey.length !== APPLIANCE_KEY_BYTES) throw errors.KEN_ERR_STORE_APPLIANCE_KEY('appliance key must be 32 bytes')
    // RFC 5869: one secret, independent keys per use.
    this.#wrapKey = Buffer.from(hkdfSync('sha256', applianceKey, Buffer.alloc(0), 'ken/v1 key-wrap', 32))
    const indexKey = Buffer.from(hkdfSync('sha256', applianceKey, Buffer.alloc(0), 'ken/v1 blind-index', 32))
    this.workKey = Buffer.from(hkdfSync('sha256', applianceKey, Buffer.alloc(0), 'ken/v1 reconcile-work', 32))
    const searchKey = Buffer.from(hkdfSync('sha256', applianceKey, Buffer.alloc(0), 'ken/v1 search-index', 32))
    const secrets = Buffer.concat([indexKey, searchKey])
    this.#index = new BlindIndex(secrets)
    secrets.fill(0)
    searchKey.fill(0)
    this.#innerPad = Buffer.alloc(SHA256_BLOCK, 0x36)
    this.#outerPad = Buffer.alloc(SHA256_BLOCK, 0x5c)
    for (let i = 0; i < indexKey.length; i++) {
      this.#innerPad[i] = (indexKey[i] ?? 0) ^ 0x36
      this.#outerPad[i] = (indexKey[i] ?? 0) ^ 0x5c
    }
    this.#innerPad.copy(this.#tagInner, 0)
    this.#tagInner[SHA256_BLOCK] = DOMAIN_CONTENT
    this.#outerPad.copy(this.#tagOuter, 0)
    this.#innerPad.copy(this.#codeInner, 0)
    this.#codeInner.write(DOMAIN_JUMINHYO, SHA256_BLOCK, 'latin1')
    this.#outerPad.copy(this.#codeOuter, 0)
    indexKey.fill(0)
    this.#cache = new KeyCache(options.cacheSize ?? 65536)
  }

  /** Blind index of a 住民票コード: the `subject` of views and effects. */
  subjectToken (juminhyoCode: string): Buffer {
    return this.#token(DOMAIN_JUMINHYO, juminhyoCode)
  }

  /**
   * Blind indexes of many 住民票コード at once (a reconciliation chunk), equal to {@link subjectToken}'s:
   * through two scratch buffers, without the memo, which a run's codes would only flush.
   */
  subjectTokens (juminhyoCodes: readonly string[]): Buffer[] {
    const out: Buffer[] = []
    for (const code of juminhyoCodes) {
      if (code.length !== CODE_LENGTH) {
        out.push(this.subjectToken(code))
        continue
      }
      this.#codeInner.write(code, SHA256_BLOCK + 1, 'latin1')
      hash('sha256', this.#codeInner, 'buffer').copy(this.#codeOuter, SHA256_BLOCK)
      out.push(hash('sha256', this.#codeOuter, 'buffer').subarray(0, TOKEN_BYTES))
    }
    return out
  }

  /** Blind index of a 個人番号. */
  kojinToken (kojinBango: string): Buffer {
    return this.#token(DOMAIN_KOJIN, kojinBango)
  }

  /**
   * Blind tag of a reconciliation content digest (docs/reconciliation.md): HMAC under the blind-index
   * key, domain 'D', truncated like a blind index. A digest of a few known items could be confirmed by
   * guessing the rest; the tag cannot be without the appliance key (SPEC §4 nothing personal in clear).
   */
  contentTag (digest: Uint8Array): Buffer {
    if (digest.length !== 32) throw errors.KEN_ERR_STORE_INVALID_ARGUMENT('a content digest is 32 bytes', { field: 'digest' })
    // Every accepted update makes one (planner.ts): two fixed scratch buffers, no allocation but the hashes.
    this.#tagInner.set(digest, SHA256_BLOCK + 1)
    hash('sha256', this.#tagInner, 'buffer').copy(this.#tagOuter, SHA256_BLOCK)
    return hash('sha256', this.#tagOuter, 'buffer').subarray(0, TOKEN_BYTES)
  }

  /**
   * The content tag of a record ({@link contentTag} of its reconciliation digest): made ahead from the
   * update when the record holds the update's items unchanged (every item compared), or now.
   */
  recordContentTag (r: DigestInput): Buffer {
    return this.#ahead.contentTag(r) ?? this.contentTag(contentDigest(r))
  }

  /**
   * Blind index of a search key (search-keys.ts; domains N, B, K). On the ingest path (three per
   * accepted update), so one hash instead of HMAC's two and no memo: SHA-256 of a secret 32-byte
   * prefix (its own HKDF key, `ken/v1 search-index`) and the value, truncated to 128 bits — the
   * truncation leaves an observer no hash state to extend, so the secret-prefix construction is a PRF.
   */
  searchToken (domain: SearchDomain, value: string): Buffer {
    return this.#index.searchToken(domain, value)
  }

  /** The search keys of a record (search-keys.ts recordSearchKeys): made ahead from the update of its 住民票コード, or now. */
  recordSearchKeys (r: SearchNames & { readonly juminhyoCode: string }): Buffer[] {
    return this.#ahead.searchKeys(r) ?? this.#index.searchKeys(r)
  }

  /**
   * Ask the index worker (started by {@link prepareKeys}) for the blind indexes `items` will need
   * when they are planned; a no-op without it.
   */
  indexAhead (items: readonly AppendItem[]): void {
    this.#indexAhead?.request(items)
  }

  /** Make a data key for a person the store has not seen; the caller stores `wrapped` under `keyId`. */
  createDataKey (): NewDataKey {
    const factory = this.#factory
    if (factory === undefined) {
      const key = makeDataKey(this.#wrapKey)
      return { keyId: key.keyId, wrapped: key.wrapped, dataKey: this.#remember(key.keyId, key.dataKey) }
    }
    // The factory's key already has a memory of its own (data-key.ts ownKey): cached as it is.
    const key = factory.take()
    this.#keep(key.keyId, key.dataKey)
    return key
  }

  /**
   * Make the period key named `keyId` (see {@link periodKeyId}): it seals the personal parts of acts
   * of one month (SPEC §2.5, §6: provision records and operation history kept ≥ 7 years, then
   * shredded by erasing this key). The caller stores `wrapped` under `keyId`.
   */
  createPeriodKey (keyId: Buffer): NewDataKey {
    const key = makeDataKey(this.#wrapKey, keyId)
    return { keyId: key.keyId, wrapped: key.wrapped, dataKey: this.#remember(key.keyId, key.dataKey) }
  }

  /**
   * A one-off key wrapped under the appliance key with additional data `aad`, kept nowhere in memory
   * (the 附票 temporary area, SPEC §2.2: erased with its slot, never cached).
   */
  wrapNewKey (aad: Uint8Array): { key: Buffer, wrapped: Buffer } {
    const key = randomBytesFromPool(32)
    return { key, wrapped: seal(this.#wrapKey, aad, key) }
  }

  /** Unwrap a key made by {@link wrapNewKey}. @throws KEN_ERR_STORE_DECRYPT */
  unwrapKey (aad: Uint8Array, wrapped: Uint8Array): Buffer {
    return open(this.#wrapKey, aad, wrapped)
  }

  /** Make data keys ahead of need in a worker thread (key-factory.ts); until {@link close}. */
  prepareKeys (): void {
    if (this.#indexAhead === undefined) {
      this.#indexAhead = new IndexAhead(this.#index.secrets(), (tokens) => { this.#learn(tokens) })
      this.#indexAhead.start()
    }
    if (this.#factory !== undefined) return
    this.#factory = new KeyFactory(this.#wrapKey)
    this.#factory.start()
  }

  /** Stop making keys ahead; wipe the ones made and not used. */
  async close (): Promise<void> {
    const factory = this.#factory
    this.#factory = undefined
    const indexAhead = this.#indexAhead
    this.#indexAhead = undefined
    this.#ahead.clear()
    await Promise.all([factory?.close(), indexAhead?.close()])
  }

  /** The data key of `keyId`, from the cache or by unwrapping `wrapped` (undefined: erased). */
  dataKey (keyId: Uint8Array, wrapped: Uint8Array | undefined): Buffer {
    if (this.isErased(keyId)) throw errors.KEN_ERR_STORE_KEY_ERASED()
    const hit = this.#cache.get(keyId)
    if (hit !== undefined) return hit
    if (wrapped === undefined) throw errors.KEN_ERR_STORE_KEY_ERASED()
    // Unwrapped straight into a memory of its own (see #remember): no pooled copy to wipe.
    const own = openInto(this.#wrapKey, sealAad(SealPurpose.DATA_KEY, keyId, 0), wrapped, Buffer.from(new ArrayBuffer(DATA_KEY_BYTES)))
    this.#cache.set(keyId, own)
    return own
  }

  /**
   * {@link dataKey} for many keys at once, the ones not in memory unwrapped in one call (sealing.ts
   * OpenBatch; store.ts loadDataKeys, for the outbox's read, issue 18): the key of `keyIds[i]` from
   * `wrapped[i]`, undefined where that key was erased or `wrapped[i]` is undefined (as the outbox
   * leaves those to openForward, which says why). Key ids must differ.
   * @throws KEN_ERR_STORE_DECRYPT when a wrapped key does not open (the keys before it are kept)
   */
  dataKeys (keyIds: readonly Uint8Array[], wrapped: ReadonlyArray<Uint8Array | undefined>): Array<Buffer | undefined> {
    const keys = new Array<Buffer | undefined>(keyIds.length).fill(undefined)
    let bytes = 0
    let longestId = 0
    for (let i = 0; i < keyIds.length; i++) {
      bytes += wrapped[i]?.length ?? 0
      longestId = Math.max(longestId, (keyIds[i] as Uint8Array).length)
    }
    const batch = new OpenBatch(keyIds.length, bytes, longestId)
    // Index in the batch of each key to unwrap; -2 for none (erased, absent, or cached), -1 too short to open.
    const at = new Int32Array(keyIds.length).fill(-2)
    for (let i = 0; i < keyIds.length; i++) {
      const keyId = keyIds[i] as Uint8Array
      const value = wrapped[i]
      if (this.isErased(keyId) || value === undefined) continue
      const hit = this.#cache.get(keyId)
      if (hit !== undefined) keys[i] = hit
      else at[i] = batch.add(this.#wrapKey, SealPurpose.DATA_KEY, keyId, 0, value)
    }
    batch.open()
    try {
      for (let i = 0; i < keyIds.length; i++) {
        const index = at[i] as number
        if (index === -2) continue
        const plain = index < 0 ? undefined : batch.plaintext(index)
        if (plain === undefined || plain.length !== DATA_KEY_BYTES) throw errors.KEN_ERR_STORE_DECRYPT()
        // Each key in a memory of its own (see #remember), copied out of the batch's, which is wiped.
        const own = Buffer.from(new ArrayBuffer(DATA_KEY_BYTES))
        own.set(plain)
        this.#cache.set(keyIds[i] as Uint8Array, own)
        keys[i] = own
      }
    } finally {
      batch.wipe()
    }
    return keys
  }

  /**
   * The data key of `keyId` when it is in memory (as {@link dataKey} would return it), else
   * undefined: one lookup where `has` then `dataKey` made two, each naming the key id (the
   * outbox's forwards, the planner's keys; issue 18). An erased key is never in memory.
   */
  cached (keyId: Uint8Array): Buffer | undefined {
    return this.#cache.get(keyId)
  }

  /**
   * True when `keyId` was erased since start ({@link forget}): a key handed out before the erasure
   * (store.ts loadDataKeys, then openForward) must be checked here before use, as {@link dataKey}
   * checks it. No name is made while nothing was erased, the usual case.
   */
  isErased (keyId: Uint8Array): boolean {
    return this.#erased.size > 0 && this.#erased.has(keyName(keyId))
  }

  /** Data keys held in memory now (never more than the cache size). */
  get cachedKeys (): number {
    return this.#cache.size
  }

  /** True when the data key of `keyId` is in memory (no read of the `keys` space needed). */
  has (keyId: Uint8Array): boolean {
    return this.#cache.has(keyId)
  }

  /**
   * Crypto-shredding: drop a data key from memory for good. No copy stays in the cache, and the
   * key id is refused from now on, even if a read that started before the erasure still holds the
   * wrapped key.
   */
  forget (keyId: Uint8Array): void {
    this.#erased.add(keyName(keyId))
    this.#cache.delete(keyId)?.fill(0)
  }

  /**
   * Take a key made by {@link createDataKey} or {@link createPeriodKey} out of memory again, when the
   * planning step that made it is taken back and its wrapped form was never written (planner.ts
   * takeBack). Not an erasure: the id may be made again.
   */
  drop (keyId: Uint8Array): void {
    this.#cache.delete(keyId)?.fill(0)
  }

  /**
   * Keep what the index worker made until the planner asks for it: an 本人確認情報 update's indexes
   * until its search keys are taken (ahead-indexes.ts); a 附票 update's subject, its only index, in the memo.
   */
  #learn (t: AheadTokens): void {
    if (t.searchKeys !== undefined) this.#ahead.learn(t)
    else this.#memoize(DOMAIN_JUMINHYO, t.code, t.subject)
  }

  /**
   * Cache `dataKey` and return the cached copy; `dataKey` itself is wiped. The copy has a memory of
   * its own: a small Buffer made the usual way is a slice of an 8 KiB pool (Node's Buffer.poolSize)
   * and keeps all of it alive, so 65536 cached keys held some 200 MB of pools.
   */
  #remember (keyId: Uint8Array, dataKey: Buffer): Buffer {
    const own = ownKey(dataKey)
    this.#keep(keyId, own)
    return own
  }

  /** Cache `own`, a key in a memory of its own ({@link #remember}), evicting the least recently used. */
  #keep (keyId: Uint8Array, own: Buffer): void {
    this.#cache.set(keyId, own)
  }

  /** HMAC-SHA-256(index key, domain ‖ value), truncated (RFC 2104 §5). */
  #token (domain: typeof DOMAIN_JUMINHYO | typeof DOMAIN_KOJIN, value: string): Buffer {
    // Made ahead: found there again by the planner after prefetch.ts, so not memoized.
    const ahead = domain === DOMAIN_JUMINHYO ? this.#ahead.subject(value) : this.#ahead.kojin(value)
    if (ahead !== undefined) return ahead
    const known = this.#tokens[domain].get(value)
    if (known !== undefined) return known
    const token = this.#index.token(domain, value)
    this.#memoize(domain, value, token)
    return token
  }

  #memoize (domain: typeof DOMAIN_JUMINHYO | typeof DOMAIN_KOJIN, value: string, token: Buffer): void {
    const memo = this.#tokens[domain]
    if (memo.size >= TOKEN_MEMO) memo.clear()
    memo.set(value, token)
  }
}

/**
 * The keyring's name of a key id (its erased set; the cache finds ids by their bytes, key-cache.ts): a 16-byte id as 8 UTF-16 code units,
 * two bytes each, made in JavaScript. Its hex (`toString('hex')`, a call into C++ and a 32-character
 * string) cost ~3× as much per lookup, with up to four lookups per forward and five per new resident
 * (issue 18). Ids of any other length are named by their hex and a '/', never 8 code units long, so
 * the two kinds of name cannot meet.
 */
export function keyName (k: Uint8Array): string {
  if (k.length === KEY_ID_BYTES) {
    return String.fromCharCode(
      (k[0] as number) | (k[1] as number) << 8, (k[2] as number) | (k[3] as number) << 8,
      (k[4] as number) | (k[5] as number) << 8, (k[6] as number) | (k[7] as number) << 8,
      (k[8] as number) | (k[9] as number) << 8, (k[10] as number) | (k[11] as number) << 8,
      (k[12] as number) | (k[13] as number) << 8, (k[14] as number) | (k[15] as number) << 8)
  }
  return Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('hex') + '/'
}
