/**
 * The physical limits of this machine, measured in the same run as the product figures (issue 6 §5),
 * so every ingest figure can be read as a fraction of what the hardware allows.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Level } from 'level'

export interface PhysicalLimits {
  /** fsync'd LevelDB batches per second with one entry each. */
  leveldbSyncBatchesPerSec: number
  /** Entries per second when each fsync'd batch carries `groupSize` entries. */
  leveldbSyncEntriesPerSecGrouped: number
  groupSize: number
  entryBytes: number
  sha256PerSec: number
  sha256MBPerSec: number
  aesGcmPerSec: number
  aesGcmMBPerSec: number
}

async function timed (ms: number, step: () => Promise<number> | number): Promise<{ count: number, seconds: number }> {
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(ms) * 1_000_000n
  let count = 0
  while (process.hrtime.bigint() < deadline) count += await step()
  return { count, seconds: Number(process.hrtime.bigint() - start) / 1e9 }
}

/** Measure fsync'd LevelDB writes, SHA-256 and AES-256-GCM for entries of `entryBytes`. */
export async function measurePhysicalLimits (opts: { entryBytes?: number, groupSize?: number, millis?: number } = {}): Promise<PhysicalLimits> {
  const entryBytes = opts.entryBytes ?? 600
  const groupSize = opts.groupSize ?? 256
  const millis = opts.millis ?? 2000
  const dir = mkdtempSync(path.join(tmpdir(), 'ken-bench-ldb-'))
  const db = new Level<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' })
  await db.open()
  const value = randomBytes(entryBytes)
  let key = 0
  const keyOf = (): Buffer => {
    const k = Buffer.alloc(8)
    k.writeBigUInt64BE(BigInt(key++))
    return k
  }
  try {
    const single = await timed(millis, async () => {
      await db.batch([{ type: 'put', key: keyOf(), value }], { sync: true })
      return 1
    })
    const grouped = await timed(millis, async () => {
      const ops = []
      for (let i = 0; i < groupSize; i++) ops.push({ type: 'put' as const, key: keyOf(), value })
      await db.batch(ops, { sync: true })
      return groupSize
    })
    const sha = await timed(millis, () => {
      for (let i = 0; i < 1000; i++) createHash('sha256').update(value).digest()
      return 1000
    })
    const aesKey = randomBytes(32)
    const aes = await timed(millis, () => {
      for (let i = 0; i < 1000; i++) {
        const c = createCipheriv('aes-256-gcm', aesKey, randomBytes(12))
        c.update(value)
        c.final()
        c.getAuthTag()
      }
      return 1000
    })
    const mb = (n: number, s: number): number => round(n * entryBytes / s / 1e6)
    return {
      leveldbSyncBatchesPerSec: round(single.count / single.seconds),
      leveldbSyncEntriesPerSecGrouped: round(grouped.count / grouped.seconds),
      groupSize,
      entryBytes,
      sha256PerSec: round(sha.count / sha.seconds),
      sha256MBPerSec: mb(sha.count, sha.seconds),
      aesGcmPerSec: round(aes.count / aes.seconds),
      aesGcmMBPerSec: mb(aes.count, aes.seconds)
    }
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

function round (n: number): number {
  return Math.round(n * 10) / 10
}
