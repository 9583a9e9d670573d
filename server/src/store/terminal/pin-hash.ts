/**
 * PINs and passwords are kept only as a memory-hard hash (SPEC §6): scrypt (RFC 7914) from
 * node:crypto, a random 16-byte salt per account, compared in constant time.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

export interface ScryptCost {
  /** CPU/memory cost N (a power of two). 2^15 with r = 8 takes 32 MiB per hash. */
  readonly n: number
  readonly r: number
  readonly p: number
}

export const DEFAULT_COST: ScryptCost = Object.freeze({ n: 1 << 15, r: 8, p: 1 })

const KEY_BYTES = 32

function derive (pin: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, KEY_BYTES, { N: cost.n, r: cost.r, p: cost.p, maxmem: 256 * cost.n * cost.r + (1 << 20) }, (err, key) => {
      if (err !== null) reject(err)
      else resolve(key)
    })
  })
}

/** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the hash, so the cost can rise later. */
export async function hashPin (pin: string, cost: ScryptCost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(pin, salt, cost)
  return ['scrypt', cost.n, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** True when `pin` matches `stored`; false for anything malformed. */
export async function verifyPin (pin: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, hash] = stored.split('$')
  if (tag !== 'scrypt' || salt === undefined || hash === undefined) return false
  const cost = { n: Number(n), r: Number(r), p: Number(p) }
  if (![cost.n, cost.r, cost.p].every((v) => Number.isSafeInteger(v) && v > 0)) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(pin, Buffer.from(salt, 'base64'), cost)
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** A3: no guessable PINs (A1.17) — at least 6 characters, not one repeated character, not a run of digits. */
export function isAcceptablePin (pin: string): boolean {
  if (pin.length < 6 || pin.length > 64) return false
  if (/^(.)\1*$/u.test(pin)) return false
  return !'0123456789012345678909876543210'.includes(pin)
}
