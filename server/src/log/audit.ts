/**
 * What an auditor checks with nothing but the log's verifier key (ken-audit, the CS simulator, the
 * store's own verify): a checkpoint's signature, an entry's inclusion under a checkpoint, and that a
 * newer checkpoint extends one kept before. Pure; each verdict names its reason.
 */
import { leafHash, verifyConsistency, verifyInclusion, type ProofFailure } from './merkle/index.ts'
import { openCheckpoint, type Checkpoint, type CheckpointFailure, type NoteVerifier } from './checkpoint/index.ts'

export type AuditFailure = CheckpointFailure | ProofFailure | 'leaf-mismatch' | 'size-mismatch' | 'older-is-newer'

export type AuditVerdict<T> = { readonly ok: true, readonly value: T } | { readonly ok: false, readonly reason: AuditFailure, readonly step: string }

const bad = (step: string, reason: AuditFailure): { ok: false, reason: AuditFailure, step: string } => ({ ok: false, reason, step })

/** A checkpoint whose signature verifies with the log's key. */
export function auditCheckpoint (note: string, verifier: NoteVerifier): AuditVerdict<Checkpoint> {
  const opened = openCheckpoint(note, verifier)
  return opened.ok ? { ok: true, value: opened.checkpoint } : bad('checkpoint', opened.reason)
}

/** An inclusion receipt: the entry (or its leaf hash) at `leafIndex` is in the tree of `checkpoint`. */
export interface InclusionReceipt {
  readonly checkpoint: string
  readonly leafIndex: number
  readonly treeSize: number
  readonly proof: readonly Uint8Array[]
  readonly entry?: Uint8Array
  readonly leafHash: Uint8Array
}

export function auditInclusion (receipt: InclusionReceipt, verifier: NoteVerifier): AuditVerdict<Checkpoint> {
  const cp = auditCheckpoint(receipt.checkpoint, verifier)
  if (!cp.ok) return cp
  if (cp.value.size !== receipt.treeSize) return bad('inclusion', 'size-mismatch')
  if (receipt.entry !== undefined && !leafHash(receipt.entry).equals(receipt.leafHash)) return bad('inclusion', 'leaf-mismatch')
  const verdict = verifyInclusion(receipt.leafIndex, receipt.treeSize, receipt.leafHash, receipt.proof, cp.value.root)
  return verdict.ok ? cp : bad('inclusion', verdict.reason)
}

/** A newer checkpoint that extends an older one kept before (RFC 9162 §2.1.4). */
export function auditConsistency (older: string, newer: string, proof: readonly Uint8Array[], verifier: NoteVerifier): AuditVerdict<Checkpoint> {
  const a = auditCheckpoint(older, verifier)
  if (!a.ok) return { ...a, step: 'older checkpoint' }
  const b = auditCheckpoint(newer, verifier)
  if (!b.ok) return { ...b, step: 'newer checkpoint' }
  if (b.value.size < a.value.size) return bad('consistency', 'older-is-newer')
  const verdict = verifyConsistency(a.value.size, b.value.size, proof, a.value.root, b.value.root)
  return verdict.ok ? b : bad('consistency', verdict.reason)
}
