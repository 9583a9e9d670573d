/**
 * Worker thread of the key factory (key-factory.ts): makes resident data keys — a key id that grows
 * (data-key.ts writeKeyId) and a random key, wrapped under the key-wrap key — in batches, and posts
 * each batch back as one buffer.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { makeDataKeys } from './data-key.ts'

const wrapKey = Buffer.from(workerData as Uint8Array)
parentPort?.on('message', (count: number) => {
  const batch = makeDataKeys(wrapKey, count)
  parentPort?.postMessage(batch, [batch.buffer as ArrayBuffer])
})
