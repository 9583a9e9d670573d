/**
 * Ed25519 keys of C2SP signed-note (https://c2sp.org/signed-note): the key id is the first four
 * bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key); a verifier key is written
 * `name+hex(key id)+base64(0x01 ‖ public key)`, and a signer key (what golang.org/x/mod/sumdb/note
 * reads) `PRIVATE+KEY+name+hex(key id)+base64(0x01 ‖ seed)`. Pure: parsing and signing, no files.
 */
import type { KenError } from '../../../../proto/src/ken-error.ts'
import { errors } from '../errors.ts'
import { createPrivateKey, createPublicKey, hash, sign, verify as verifySignature, type KeyObject } from 'node:crypto'

/** The signature type byte of Ed25519 in signed-note. */
const ALG_ED25519 = 0x01
// DER wrappings of a raw Ed25519 seed (PKCS #8) and public key (SPKI), RFC 8410.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
// signed-note: a key name is non-empty and holds no Unicode space and no '+'.
const NAME = /^[^\s+]+$/u

/** A key text that is not one: KEN_ERR_LOG_KEY with the reason as its detail. */
const keyError = (reason: string): KenError => errors.KEN_ERR_LOG_KEY(reason)

/** Cut at the first `sep` (a base64 key may itself hold '+', so keys are split from the left). */
function chop (s: string, sep: string): [string, string] | undefined {
  const at = s.indexOf(sep)
  return at < 0 ? undefined : [s.slice(0, at), s.slice(at + sep.length)]
}

/** True for a key name signed-note admits. */
export function isKeyName (name: string): boolean {
  return NAME.test(name)
}

/** The 4-byte key id of an Ed25519 key, as a number (big-endian). */
export function keyId (name: string, publicKey: Uint8Array): number {
  const digest = hash('sha256', Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([ALG_ED25519]), publicKey]), 'buffer')
  return digest.readUInt32BE(0)
}

/** A key that verifies notes: its name, id and public key. */
export interface NoteVerifier {
  readonly name: string
  readonly id: number
  readonly publicKey: KeyObject
  /** `name+hash+base64(0x01‖pubkey)`: what an auditor is given. */
  readonly line: string
}

/** A key that signs notes. */
export interface NoteSigner {
  readonly name: string
  readonly id: number
  readonly verifier: NoteVerifier
  sign: (message: Uint8Array) => Buffer
}

function hex8 (id: number): string {
  return id.toString(16).padStart(8, '0')
}

/** A verifier from a raw 32-byte public key. */
export function verifierFromPublicKey (name: string, raw: Uint8Array): NoteVerifier {
  if (!isKeyName(name)) throw keyError('bad name')
  if (raw.length !== 32) throw keyError('an Ed25519 public key is 32 bytes')
  const id = keyId(name, raw)
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
  return { name, id, publicKey, line: `${name}+${hex8(id)}+${Buffer.concat([Buffer.from([ALG_ED25519]), raw]).toString('base64')}` }
}

/** Parse a verifier key line; refuses a wrong algorithm or a key id that does not match. */
export function parseVerifierKey (line: string): NoteVerifier {
  const first = chop(line.trim(), '+')
  const second = first === undefined ? undefined : chop(first[1], '+')
  if (first === undefined || second === undefined) throw keyError('a verifier key is name+hash+key')
  const [name] = first
  const [id, key] = second
  if (!/^[0-9a-f]{8}$/.test(id)) throw keyError('the key hash is 8 hex digits')
  const bytes = Buffer.from(key, 'base64')
  if (bytes.length !== 33 || bytes[0] !== ALG_ED25519 || bytes.toString('base64') !== key) throw keyError('not an Ed25519 key')
  const verifier = verifierFromPublicKey(name, bytes.subarray(1))
  if (hex8(verifier.id) !== id) throw keyError('the key hash does not match the key')
  return verifier
}

/** A signer from a 32-byte seed. */
export function signerFromSeed (name: string, seed: Uint8Array): NoteSigner {
  if (seed.length !== 32) throw keyError('an Ed25519 seed is 32 bytes')
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  const raw = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length)
  const verifier = verifierFromPublicKey(name, raw)
  return { name, id: verifier.id, verifier, sign: (message) => sign(null, message, privateKey) }
}

/** The signer key text (golang.org/x/mod/sumdb/note's format). */
export function signerKeyText (name: string, seed: Uint8Array): string {
  const id = signerFromSeed(name, seed).id
  return `PRIVATE+KEY+${name}+${hex8(id)}+${Buffer.concat([Buffer.from([ALG_ED25519]), seed]).toString('base64')}`
}

/** Parse a signer key text. */
export function parseSignerKey (text: string): NoteSigner {
  const rest = text.trim().startsWith('PRIVATE+KEY+') ? text.trim().slice('PRIVATE+KEY+'.length) : undefined
  const first = rest === undefined ? undefined : chop(rest, '+')
  const second = first === undefined ? undefined : chop(first[1], '+')
  if (first === undefined || second === undefined) throw keyError('a signer key is PRIVATE+KEY+name+hash+key')
  const [name] = first
  const [id, key] = second
  const bytes = Buffer.from(key, 'base64')
  if (bytes.length !== 33 || bytes[0] !== ALG_ED25519) throw keyError('not an Ed25519 key')
  const signer = signerFromSeed(name, bytes.subarray(1))
  bytes.fill(0)
  if (hex8(signer.id) !== id) throw keyError('the key hash does not match the key')
  return signer
}

/** Check an Ed25519 signature. */
export function verifies (verifier: NoteVerifier, message: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === 64 && verifySignature(null, message, verifier.publicKey, signature)
}
