/**
 * The result file of a bulk provision (一括提供, SPEC §6): encrypted for its recipient in the age
 * format (age-encryption.org/v1: X25519 recipient stanza, ChaCha20-Poly1305 payload in 64 KiB chunks)
 * — a documented, standard format the recipient opens with the `age` command (Debian `age`), rage, or
 * any other implementation, with nothing but their own identity. A password-protected archive would
 * put a shared secret on the same medium path; a public-key format does not.
 * The output is recorded by the terminal: count, SHA-256 of the file, medium.
 */
import { createHash } from 'node:crypto'
import { Encrypter } from 'age-encryption'
import { errors } from '../forms/errors.ts'

/** An age X25519 recipient: Bech32 "age1" + 58 characters (age-encryption.org/v1 §X25519). */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/

/** True when `s` is an age X25519 recipient string. */
export function isAgeRecipient (s: string): boolean {
  return AGE_RECIPIENT.test(s)
}

/** Encrypt `plaintext` to `recipient`; returns the file and its SHA-256 (hex) for the record. */
export async function sealResultFile (plaintext: Uint8Array, recipient: string): Promise<{ file: Buffer, sha256: string }> {
  if (!isAgeRecipient(recipient)) throw errors.KEN_ERR_FORM_INPUT('the recipient must be an age X25519 recipient (age1…)')
  const e = new Encrypter()
  e.addRecipient(recipient)
  const file = Buffer.from(await e.encrypt(plaintext))
  return { file, sha256: createHash('sha256').update(file).digest('hex') }
}
