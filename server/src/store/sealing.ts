/**
 * AES-256-GCM sealing of personal data (SPEC §2.5, §4). A sealed value is nonce (96 random bits) ‖
 * ciphertext ‖ tag (128 bits). The additional data binds a seal to what it is, whose key sealed it and
 * which log entry holds it, so a ciphertext moved to another resident or entry fails to open.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto'
import { randomIntoFromPool } from './random-pool.ts'
import { errors } from './errors.ts'

const NONCE_BYTES = 12
const TAG_BYTES = 16
/** Bytes a sealed value adds to its plaintext. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES

/** What a sealed value holds; part of its additional data. */
export const SealPurpose = { UPDATE: 1, RESIDENT: 2, FUHYO: 3, DATA_KEY: 4, ACT: 5, TEMP_KOJIN: 6, RECONCILE_WORK: 7 } as const
export type SealPurpose = typeof SealPurpose[keyof typeof SealPurpose]

const AAD_LABEL = Buffer.from('ken/v1 seal\0', 'latin1')

/** Additional data: label ‖ purpose ‖ key id ‖ position (8 bytes BE, 0 for a wrapped data key). */
export function sealAad (purpose: SealPurpose, keyId: Uint8Array, position: number): Buffer {
  const aad = Buffer.allocUnsafe(AAD_LABEL.length + 1 + keyId.length + 8)
  AAD_LABEL.copy(aad, 0)
  aad[AAD_LABEL.length] = purpose
  aad.set(keyId, AAD_LABEL.length + 1)
  const at = AAD_LABEL.length + 1 + keyId.length
  // Two 32-bit halves: the same 8 bytes as writeBigUInt64BE for a position below 2^53, without a BigInt per seal.
  if (Number.isSafeInteger(position) && position >= 0) {
    aad.writeUInt32BE(Math.floor(position / 0x100000000), at)
    aad.writeUInt32BE(position >>> 0, at + 4)
  } else {
    aad.writeBigUInt64BE(BigInt(position), at)
  }
  return aad
}

/** Encrypt `plaintext` under `key` (32 bytes) with a fresh random nonce. */
export function seal (key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  // GCM is a stream mode: the ciphertext is as long as the plaintext, so the value is laid out first
  // and the nonce drawn straight into it.
  const out = Buffer.allocUnsafe(NONCE_BYTES + plaintext.length + TAG_BYTES)
  randomIntoFromPool(out, 0, NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, out.subarray(0, NONCE_BYTES))
  cipher.setAAD(aad)
  const body = cipher.update(plaintext)
  cipher.final() // nothing is held back
  if (body.length !== plaintext.length) throw new RangeError('AES-GCM returned a ciphertext of another length')
  body.copy(out, NONCE_BYTES)
  cipher.getAuthTag().copy(out, NONCE_BYTES + body.length)
  return out
}

/**
 * Decrypt and authenticate a value made by {@link seal}.
 * @throws KEN_ERR_STORE_DECRYPT when the value, the key or the additional data do not match
 */
export function open (key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer {
  if (sealed.length < NONCE_BYTES + TAG_BYTES) throw errors.KEN_ERR_STORE_DECRYPT('sealed value too short')
  const nonce = sealed.subarray(0, NONCE_BYTES)
  const tag = sealed.subarray(sealed.length - TAG_BYTES)
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce)
    decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()])
  } catch (err) {
    throw errors.KEN_ERR_STORE_DECRYPT(undefined, { cause: err })
  }
}
