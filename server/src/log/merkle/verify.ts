/**
 * Verifying inclusion and consistency proofs (RFC 9162 §2.1.3.2, §2.1.4.2), for the store's own
 * checks and for an auditor who holds nothing but checkpoints. Each returns a reason on failure
 * (a stable word, not prose) so callers can name why; integers are safe integers, and the bit
 * arithmetic is done with division so sizes above 2^32 work.
 */
import { HASH_SIZE, isPowerOfTwo, nodeHash } from './hash.ts'

export type ProofFailure = 'bad-index' | 'bad-size' | 'bad-hash-length' | 'bad-proof-length' | 'root-mismatch' | 'empty-proof' | 'proof-not-empty' | 'first-root-mismatch'

export type ProofVerdict = { readonly ok: true } | { readonly ok: false, readonly reason: ProofFailure }

const OK: ProofVerdict = { ok: true }
const fail = (reason: ProofFailure): ProofVerdict => ({ ok: false, reason })

const lsb = (n: number): boolean => n % 2 === 1
const half = (n: number): number => Math.floor(n / 2)

/** RFC 9162 §2.1.3.2: is `leaf` the leaf at `index` of the tree of `size` with `root`? */
export function verifyInclusion (index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): ProofVerdict {
  if (!Number.isSafeInteger(size) || size < 1) return fail('bad-size')
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) return fail('bad-index')
  if (leaf.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return fail('bad-hash-length')
  let fn = index
  let sn = size - 1
  let r: Uint8Array = leaf
  for (const p of proof) {
    if (sn === 0) return fail('bad-proof-length')
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r)
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  if (sn !== 0) return fail('bad-proof-length')
  return Buffer.from(r).equals(root) ? OK : fail('root-mismatch')
}

/**
 * RFC 9162 §2.1.4.2: is the tree of `second` (root2) an extension of the tree of `first` (root1)?
 * Equal sizes need an empty proof and equal roots; a consistency proof from the empty tree proves
 * nothing and is refused (as transparency-dev/merkle does).
 */
export function verifyConsistency (first: number, second: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): ProofVerdict {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 1 || second < first) return fail('bad-size')
  if (first === second) {
    if (proof.length > 0) return fail('proof-not-empty')
    return Buffer.from(root1).equals(root2) ? OK : fail('root-mismatch')
  }
  if (proof.length === 0) return fail('empty-proof')
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return fail('bad-hash-length')
  const path: readonly Uint8Array[] = isPowerOfTwo(first) ? [root1, ...proof] : proof
  let fn = first - 1
  let sn = second - 1
  while (lsb(fn)) {
    fn = half(fn)
    sn = half(sn)
  }
  let fr: Uint8Array = path[0] as Uint8Array
  let sr: Uint8Array = fr
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('bad-proof-length')
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn)
          sn = half(sn)
        }
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = half(fn)
    sn = half(sn)
  }
  if (sn !== 0) return fail('bad-proof-length')
  if (!Buffer.from(fr).equals(root1)) return fail('first-root-mismatch')
  return Buffer.from(sr).equals(root2) ? OK : fail('root-mismatch')
}
