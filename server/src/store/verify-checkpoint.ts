/**
 * For restores and backups (SPEC §7 "restore is verified against the signed checkpoint before the
 * store accepts writes again"): hold a store directory's log to one signed checkpoint, with nothing
 * but the log's verifier key. Opens the store read-only (the daemon must be stopped), recomputes the
 * Merkle tree over the log and compares the root at the checkpoint's size. A log shorter than the
 * checkpoint fails with `beyond-log`; a changed entry with `root-mismatch`; a checkpoint that does not
 * verify with `bad-signature`.
 */
import { parseVerifierKey } from '../log/checkpoint/index.ts'
import { LevelStore } from './level-store.ts'
import type { TreeReport } from './verify-tree.ts'

/**
 * @param location the store directory (log/, keys/, views/)
 * @param checkpoint the signed-note text of a checkpoint (`ken-store checkpoint`)
 * @param verifierKey the log's verifier key line (`ken-store public-key`)
 * @throws KEN_ERR_LOG_KEY for a malformed key; KEN_ERR_STORE_* when the directory cannot be opened
 */
export async function verifyLogAgainstCheckpoint (location: string, checkpoint: string, verifierKey: string): Promise<TreeReport> {
  const verifier = parseVerifierKey(verifierKey)
  const store = new LevelStore({ location, readOnly: true, createIfMissing: false })
  await store.open()
  try {
    return await store.verifyAgainstCheckpoint(checkpoint, verifier)
  } finally {
    await store.close()
  }
}
