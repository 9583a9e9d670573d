/**
 * AES-256-GCM sealing of personal data (SPEC §2.5, §4). A sealed value is nonce (96 random bits) ‖
 * ciphertext ‖ tag (128 bits). The additional data binds a seal to what it is, whose key sealed it and
 * which log entry holds it, so a ciphertext moved to another resident or entry fails to open.
 */
import { randomIntoFromPool } from './random-pool.ts'
import { aesGcmBatch } from './aes-gcm-batch-file.ts'
import { AES_GCM_SPAN_FIELDS } from './aes-gcm-batch.ts'
import { errors } from './errors.ts'
import { writeU64BE } from './layout.ts'

const KEY_BYTES = 32
export const NONCE_BYTES = 12
const TAG_BYTES = 16
/** Bytes a sealed value adds to its plaintext. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES

/** What a sealed value holds; part of its additional data. */
export const SealPurpose = { UPDATE: 1, RESIDENT: 2, FUHYO: 3, DATA_KEY: 4, ACT: 5, TEMP_KOJIN: 6, RECONCILE_WORK: 7 } as const
export type SealPurpose = typeof SealPurpose[keyof typeof SealPurpose]

const AAD_LABEL = Buffer.from('ken/v1 seal\0', 'latin1')

/** Bytes of the additional data {@link sealAad} makes for a key id of `keyIdLength` bytes. */
export function sealAadLength (keyIdLength: number): number {
  return AAD_LABEL.length + 1 + keyIdLength + 8
}

/** Additional data: label ‖ purpose ‖ key id ‖ position (8 bytes BE, 0 for a wrapped data key). */
export function sealAad (purpose: SealPurpose, keyId: Uint8Array, position: number): Buffer {
  const aad = Buffer.allocUnsafe(sealAadLength(keyId.length))
  writeSealAad(aad, 0, purpose, keyId, position)
  return aad
}

/** Write {@link sealAad}'s bytes at aad[offset, +sealAadLength(keyId.length)) (a batch's additional data). */
export function writeSealAad (aad: Buffer, offset: number, purpose: SealPurpose, keyId: Uint8Array, position: number): void {
  AAD_LABEL.copy(aad, offset)
  aad[offset + AAD_LABEL.length] = purpose
  aad.set(keyId, offset + AAD_LABEL.length + 1)
  const at = offset + AAD_LABEL.length + 1 + keyId.length
  writeU64BE(aad, position, at) // without a BigInt per seal
}

// AES-256-GCM a value at a time through the batch functions (aes-gcm-batch.ts): the native addon's
// where it is built — one call, no cipher object, the sealed value the only buffer (issue 18) — else
// node:crypto's. One value's spans, filled in before each synchronous call.
const gcm = aesGcmBatch()
const SPANS = new Int32Array(AES_GCM_SPAN_FIELDS)
const STATUS = new Uint8Array(1)

function spansOf (aadLength: number, inputLength: number): Int32Array {
  SPANS[2] = aadLength
  SPANS[4] = inputLength
  return SPANS
}

/** Encrypt `plaintext` under `key` (32 bytes) with a fresh random nonce. */
export function seal (key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  if (key.length !== KEY_BYTES) throw Object.assign(new RangeError('Invalid key length'), { code: 'ERR_CRYPTO_INVALID_KEYLEN' })
  // GCM is a stream mode: the ciphertext is as long as the plaintext, so the value is laid out first
  // and the nonce drawn straight into it.
  const out = Buffer.allocUnsafe(NONCE_BYTES + plaintext.length + TAG_BYTES)
  randomIntoFromPool(out, 0, NONCE_BYTES)
  gcm.seal(key, aad, plaintext, out, spansOf(aad.length, plaintext.length), 1)
  return out
}

/**
 * Seal `count` values in one call, laid out by `spans` (aes-gcm-batch.ts: key, aad, aad length,
 * plaintext, its length, output), each output's nonce drawn by the caller from the random pool as
 * {@link seal} draws it; the values are {@link seal}'s for the same nonces.
 */
export function sealBatch (keys: Uint8Array, aads: Uint8Array, plain: Uint8Array, out: Uint8Array, spans: Int32Array, count: number): void {
  gcm.seal(keys, aads, plain, out, spans, count)
}

/**
 * Decrypt and authenticate a value made by {@link seal}.
 * @throws KEN_ERR_STORE_DECRYPT when the value, the key or the additional data do not match
 */
export function open (key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw errors.KEN_ERR_STORE_DECRYPT('sealed value too short')
  return openInto(key, aad, sealed, Buffer.allocUnsafe(sealed.length - NONCE_BYTES - TAG_BYTES))
}

/**
 * {@link open} into `out`, which must be as long as the plaintext (a data key into a memory of its
 * own, keyring.ts); `out` is zeroed when the value does not open.
 * @throws KEN_ERR_STORE_DECRYPT when the value, the key or the additional data do not match
 */
export function openInto (key: Uint8Array, aad: Uint8Array, sealed: Uint8Array, out: Buffer): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw errors.KEN_ERR_STORE_DECRYPT('sealed value too short')
  if (key.length !== KEY_BYTES || out.length !== sealed.length - NONCE_BYTES - TAG_BYTES) throw errors.KEN_ERR_STORE_DECRYPT()
  if (gcm.open(key, aad, sealed, out, spansOf(aad.length, sealed.length), 1, STATUS) !== 0) throw errors.KEN_ERR_STORE_DECRYPT()
  return out
}

/**
 * Many sealed values opened in one native call (aes-gcm-batch.ts `open`; issue 18): the outbox's
 * read opens a data key and a record per forward, and a call a value made the sealed value's
 * additional data, its plaintext buffer, the call's arguments and a cipher context each time. The
 * values are laid out by {@link add} over four buffers made for the batch; {@link open} opens them
 * all; {@link wipe} zeroes the data keys and plaintexts the batch held. Each value opens as
 * {@link open} would open it alone: the same key, additional data ({@link sealAad}) and bytes.
 */
export class OpenBatch {
  readonly #keys: Buffer
  readonly #aads: Buffer
  readonly #sealed: Buffer
  readonly #out: Buffer
  readonly #spans: Int32Array
  readonly #status: Uint8Array
  #count = 0
  #keyBytes = 0
  #aadBytes = 0
  #sealedBytes = 0
  #outBytes = 0
  /** The key of the last value added, and where it was put: values under one key share its bytes. */
  #lastKey: Uint8Array | undefined
  #lastKeyAt = 0

  /**
   * Room for `capacity` values of `sealedBytes` in all, with key ids of up to `keyIdBytes` bytes each.
   * @throws RangeError when a value does not fit
   */
  constructor (capacity: number, sealedBytes: number, keyIdBytes: number) {
    this.#keys = Buffer.alloc(capacity * KEY_BYTES)
    this.#aads = Buffer.allocUnsafe(capacity * sealAadLength(keyIdBytes))
    this.#sealed = Buffer.allocUnsafe(sealedBytes)
    this.#out = Buffer.allocUnsafe(sealedBytes)
    this.#spans = new Int32Array(capacity * AES_GCM_SPAN_FIELDS)
    this.#status = new Uint8Array(capacity)
  }

  /** Values added so far. */
  get count (): number {
    return this.#count
  }

  /**
   * Add the value `sealed`, sealed under `key` for `purpose`, `keyId` and `position` (its {@link sealAad});
   * returns its index, or -1 when it is too short to be a sealed value (nothing added: {@link open}
   * alone refuses it with KEN_ERR_STORE_DECRYPT).
   */
  add (key: Uint8Array, purpose: SealPurpose, keyId: Uint8Array, position: number, sealed: Uint8Array): number {
    if (sealed.length < SEAL_OVERHEAD) return -1
    if (key.length !== KEY_BYTES) throw errors.KEN_ERR_STORE_DECRYPT()
    const i = this.#count
    const s = i * AES_GCM_SPAN_FIELDS
    if (key !== this.#lastKey) {
      this.#keys.set(key, this.#keyBytes)
      this.#lastKey = key
      this.#lastKeyAt = this.#keyBytes
      this.#keyBytes += KEY_BYTES
    }
    const aadLength = sealAadLength(keyId.length)
    writeSealAad(this.#aads, this.#aadBytes, purpose, keyId, position)
    this.#sealed.set(sealed, this.#sealedBytes)
    this.#spans[s] = this.#lastKeyAt
    this.#spans[s + 1] = this.#aadBytes
    this.#spans[s + 2] = aadLength
    this.#spans[s + 3] = this.#sealedBytes
    this.#spans[s + 4] = sealed.length
    this.#spans[s + 5] = this.#outBytes
    this.#aadBytes += aadLength
    this.#sealedBytes += sealed.length
    this.#outBytes += sealed.length - SEAL_OVERHEAD
    this.#count = i + 1
    return i
  }

  /** Open every value added; returns how many failed their tag ({@link plaintext} is undefined for those). */
  open (): number {
    const failures = gcm.open(this.#keys, this.#aads, this.#sealed, this.#out, this.#spans, this.#count, this.#status)
    // The data keys are needed no more.
    this.#keys.fill(0)
    this.#lastKey = undefined
    return failures
  }

  /** The plaintext of value `i` after {@link open}, a view of the batch's memory (wiped by {@link wipe}); undefined when it failed. */
  plaintext (i: number): Buffer | undefined {
    if (this.#status[i] !== 1) return undefined
    const s = i * AES_GCM_SPAN_FIELDS
    const at = this.#spans[s + 5] as number
    return this.#out.subarray(at, at + (this.#spans[s + 4] as number) - SEAL_OVERHEAD)
  }

  /** Zero the keys and plaintexts the batch held. */
  wipe (): void {
    this.#keys.fill(0)
    this.#out.fill(0)
    this.#lastKey = undefined
  }
}
