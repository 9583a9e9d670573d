/**
 * Where the aes-gcm-batch addon (server/native/aes-gcm-batch, aes-gcm-batch.ts) is built in this
 * tree, and the batch functions the store seals and opens with: the addon's where it is built, else
 * node:crypto's.
 */
import { fileURLToPath } from 'node:url'
import { jsAesGcmBatch, loadAesGcmBatch, type AesGcmBatch } from './aes-gcm-batch.ts'

export const AES_GCM_BATCH_FILE = fileURLToPath(new URL('../../../server/native/aes-gcm-batch/build/Release/aes_gcm_batch.node', import.meta.url))

/** The addon when built, else the same functions on node:crypto. */
export function aesGcmBatch (): AesGcmBatch {
  return loadAesGcmBatch(AES_GCM_BATCH_FILE) ?? jsAesGcmBatch
}
