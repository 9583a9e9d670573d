/**
 * The Merkle tree over the log (RFC 9162 §2.1): pure functions and the compact right edge, no I/O.
 * The store feeds them (server/src/store/tree-*.ts); the auditor (ken-audit) runs the verifiers
 * with nothing but checkpoints.
 */
export { EMPTY_ROOT, HASH_SIZE, leafHash, nodeHash, splitPoint, isPowerOfTwo } from './hash.ts'
export { nodesOfRange, rangeOfNode, rangeHash, rootOfLeaves, leafNodes, type NodeId, type LeafRange, type NodeSource } from './range.ts'
export { inclusionRanges, consistencyRanges, proofNodes, hashRanges, inclusionProof, consistencyProof } from './proof.ts'
export { verifyInclusion, verifyConsistency, type ProofVerdict, type ProofFailure } from './verify.ts'
export { CompactRange, type NewNode } from './compact-range.ts'
export { nodeHashBinary, sha256Binary, subtreeBinary, toBuffer, type BinaryHash } from './hash-binary.ts'
export { TileSlice, assembleRoots, type TileSliceResult } from './tile-slice.ts'
