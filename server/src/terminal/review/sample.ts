/**
 * The random sample of operation history for the yearly third-party check (SPEC §6; requirements A7).
 * Reproducible: each position's rank is SHA-256(seed ‖ position), the sample is the `size` positions of
 * lowest rank, in log order. Anyone holding the seed (recorded in the log with the sample) and the
 * log recomputes exactly the same selection; nobody can steer it without changing the seed.
 */
import { createHash, randomBytes } from 'node:crypto'

/** A fresh seed (hex, 128 bits). */
export function newSampleSeed (): string {
  return randomBytes(16).toString('hex')
}

/** The sample of `size` among `positions`, in ascending order. */
export function samplePositions (positions: readonly number[], size: number, seed: string): number[] {
  if (!/^[0-9a-f]{32}$/.test(seed)) throw new RangeError('seed must be 32 hex digits')
  if (!Number.isInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer')
  const key = Buffer.from(seed, 'hex')
  const ranked = positions.map((position) => {
    const p = Buffer.alloc(8)
    p.writeBigUInt64BE(BigInt(position))
    return { position, rank: createHash('sha256').update(key).update(p).digest() }
  })
  ranked.sort((a, b) => Buffer.compare(a.rank, b.rank))
  return ranked.slice(0, size).map((r) => r.position).sort((a, b) => a - b)
}
