/**
 * The prefecture's backup recipient key (SPEC §7: "encrypted to a key the technician does not hold";
 * sources D4, H22): an X25519 key pair held by the system administrator. The store holds only the
 * public half; `ken-store restore` needs the private half (PKCS#8 PEM, optionally under a
 * passphrase). The technician's TLS credential is an ECDSA P-256 key and is refused as a recipient.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { errors } from '../errors.ts'

/** The raw 32-byte X25519 public key of `key` (public or private). */
export function rawPublicKey (key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  const jwk = pub.export({ format: 'jwk' })
  if (pub.asymmetricKeyType !== 'x25519' || typeof jwk.x !== 'string') throw errors.KEN_ERR_STORE_BACKUP_RECIPIENT(`a ${pub.asymmetricKeyType ?? 'unknown'} key`)
  return Buffer.from(jwk.x, 'base64url')
}

/** SHA-256 of the raw public key, hex: names the recipient in a backup's header. */
export function recipientFingerprint (key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('hex')
}

/** Read the recipient's public key (SPKI PEM). @throws KEN_ERR_STORE_BACKUP_RECIPIENT */
export function readRecipientPublicKey (pem: string | Buffer): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey(pem)
  } catch {
    throw errors.KEN_ERR_STORE_BACKUP_RECIPIENT('not a public key in PEM')
  }
  rawPublicKey(key)
  return key
}

/**
 * Read a private key that is to open a backup. Any key PEM is read (so a wrong one is refused for
 * what it is): a key that is not X25519 is KEN_ERR_STORE_BACKUP_KEY_MISMATCH.
 */
export function readIdentityKey (pem: string | Buffer, passphrase?: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase })
  } catch {
    throw errors.KEN_ERR_STORE_BACKUP_KEY_MISMATCH('not a private key in PEM, or a wrong passphrase')
  }
  if (key.asymmetricKeyType !== 'x25519') throw errors.KEN_ERR_STORE_BACKUP_KEY_MISMATCH(`a ${key.asymmetricKeyType ?? 'unknown'} key cannot open a backup`)
  return key
}

/** A new recipient key pair: the public half for the store, the private half for the administrator. */
export function generateRecipientKey (passphrase?: string): { publicPem: string, privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519')
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export(passphrase === undefined
      ? { type: 'pkcs8', format: 'pem' }
      : { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString()
  }
}
