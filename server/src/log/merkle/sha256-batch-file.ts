/**
 * Where the sha256-batch addon (server/native/sha256-batch, sha256-batch.ts) is built in this tree, and the
 * batch functions verify uses: the addon's where it is built, else node:crypto's. Imported by ES
 * modules only (it reads import.meta); the verify workers are given the file's path instead.
 */
import { fileURLToPath } from 'node:url'
import { jsSha256Batch, loadSha256Batch, type Sha256Batch } from './sha256-batch.ts'

export const SHA256_BATCH_FILE = fileURLToPath(new URL('../../../../server/native/sha256-batch/build/Release/sha256_batch.node', import.meta.url))

/** The addon when built, else the same functions on node:crypto. */
export function sha256Batch (): Sha256Batch {
  return loadSha256Batch(SHA256_BATCH_FILE) ?? jsSha256Batch
}
