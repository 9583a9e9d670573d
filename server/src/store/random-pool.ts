/**
 * Random bytes from the CSPRNG, drawn from a pool filled in large reads: nonces and key material are
 * needed several times per update, and one `randomFillSync` per 64 KiB costs far less than one
 * call per 12 bytes. Every byte handed out is handed out once; a spent pool is replaced, not refilled.
 */
import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 64 * 1024

let pool = Buffer.alloc(0)
let offset = 0

/** `n` fresh random bytes (a copy: nothing else refers to them). */
export function randomBytesFromPool (n: number): Buffer {
  const out = Buffer.allocUnsafe(n)
  randomIntoFromPool(out, 0, n)
  return out
}

/** Write `n` fresh random bytes at `out[at…at + n)`, without a buffer of their own (a nonce, sealing.ts). */
export function randomIntoFromPool (out: Uint8Array, at: number, n: number): void {
  if (n > POOL_BYTES) throw new RangeError('request larger than the pool')
  if (offset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES))
    offset = 0
  }
  pool.copy(out, at, offset, offset + n)
  pool.fill(0, offset, offset + n)
  offset += n
}
