/**
 * ECDSA P-256 keys (RFC 5480) through node's WebCrypto, and their PKCS#8 files (RFC 5958).
 * Operator and technician keys are stored as PKCS#8 EncryptedPrivateKeyInfo — PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018), as node's KeyObject export writes it — which
 * openssl and every TLS stack can open with the PIN.
 */
import { createPrivateKey, createPublicKey, type KeyObject, webcrypto } from 'node:crypto'
import { PublicKeyInfo } from 'pkijs'
import { subtle } from './engine.ts'
import { errors } from './errors.ts'
import { fromPemAll, toArrayBuffer, toPem } from './der.ts'

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** A freshly generated key pair: the private key only as PKCS#8 DER, the public key as SPKI. */
export interface GeneratedKey {
  readonly pkcs8: Uint8Array
  readonly spki: PublicKeyInfo
  /** The private key as a non-extractable signing key. */
  readonly signingKey: webcrypto.CryptoKey
}

/** Generate an ECDSA P-256 key pair. */
export async function generateKey (): Promise<GeneratedKey> {
  const pair = await subtle.generateKey(EC_P256, true, ['sign', 'verify'])
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey))
  const spkiDer = await subtle.exportKey('spki', pair.publicKey)
  const signingKey = await subtle.importKey('pkcs8', pkcs8, EC_P256, false, ['sign'])
  return { pkcs8, spki: PublicKeyInfo.fromBER(spkiDer), signingKey }
}

/** PEM of an unencrypted PKCS#8 key (RFC 7468 §10, label PRIVATE KEY). */
export function pkcs8Pem (pkcs8: Uint8Array): string {
  return toPem('PRIVATE KEY', pkcs8)
}

/** Import an unencrypted PKCS#8 PEM as a non-extractable ECDSA P-256 signing key. */
export async function importSigningKey (pem: string, field: string): Promise<webcrypto.CryptoKey> {
  const der = fromPemAll(pem, 'PRIVATE KEY')[0]
  if (der === undefined) throw errors.KEN_ERR_PKI_BAD_KEY(undefined, { field })
  try {
    return await subtle.importKey('pkcs8', toArrayBuffer(der), EC_P256, false, ['sign'])
  } catch (err) {
    throw errors.KEN_ERR_PKI_BAD_KEY(undefined, { field, cause: err })
  }
}

/** Minimum and maximum PIN length (SPEC §6: the PIN is the second factor next to the key file). */
export const PIN_LENGTH = { min: 6, max: 64 } as const

/** Throws KEN_ERR_PKI_WEAK_PIN unless the PIN has an acceptable length. */
export function assertPin (pin: string): void {
  if (pin.length < PIN_LENGTH.min || pin.length > PIN_LENGTH.max) throw errors.KEN_ERR_PKI_WEAK_PIN(undefined, { field: 'pin' })
}

/** PKCS#8 EncryptedPrivateKeyInfo PEM (label ENCRYPTED PRIVATE KEY), PBES2 / AES-256-CBC under the PIN. */
export function encryptPkcs8 (pkcs8: Uint8Array, pin: string): string {
  assertPin(pin)
  const key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: pin }).toString()
}

/** Open an encrypted PKCS#8 PEM with the PIN; KEN_ERR_PKI_BAD_PIN when it does not open. */
export function decryptPkcs8 (pem: string, pin: string, field = 'key'): KeyObject {
  if (!pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) throw errors.KEN_ERR_PKI_BAD_KEY('not an encrypted PKCS#8 key', { field })
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem', passphrase: pin })
  } catch (err) {
    throw errors.KEN_ERR_PKI_BAD_PIN(undefined, { field, cause: err })
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw errors.KEN_ERR_PKI_BAD_KEY(undefined, { field })
  return key
}

/** The SPKI DER of the public half of a private key. */
export function publicSpkiOf (key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }))
}
