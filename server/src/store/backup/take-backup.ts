/**
 * Take one backup (SPEC §7, sources D4–D6): a consistent snapshot of the log and the wrapped keys
 * (Store.backupSnapshot — appends go on meanwhile), with the appliance key, encrypted to the
 * administrator's recipient key, written as `<mediaId>.kbk` (via a temporary name, fsynced), entered
 * in the media register; then media beyond the generations kept are disposed — overwritten, removed,
 * and entered with the reason (D13).
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { readPosition } from '../layout.ts'
import type { Head, Store } from '../store.ts'
import { BackupSealer } from './backup-cipher.ts'
import { encodeRecord, RecordType, type BackupManifest } from './backup-records.ts'
import { MediaRegister } from './media-register.ts'
import type { MediaRecord } from '../../../../proto/src/types.ts'

export interface BackupProgress {
  readonly mediaId: string
  /** Log entries copied so far, out of `of` (the head the snapshot holds). */
  readonly position: number
  readonly of: number
  readonly bytes: number
}

export interface TakeBackupOptions {
  readonly register: MediaRegister
  readonly recipient: KeyObject
  /** The appliance key (32 bytes): without it no data key of the backup could be unwrapped. */
  readonly applianceKey: Uint8Array
  /** Generations kept (sources D6: two); older media are disposed. */
  readonly generations: number
  /** Where the media are kept, as the register should say (e.g. "backup directory, server room"). */
  readonly location: string
  readonly clock?: () => Date
  /** The signed checkpoint at the snapshot's head, once the log issues checkpoints (issue 11). */
  readonly checkpointAt?: (head: Head) => Promise<string | undefined>
  readonly onProgress?: (p: BackupProgress) => void
}

/** Take a backup of `store` now. Resolves with its register line. */
export async function takeBackup (store: Store, opts: TakeBackupOptions): Promise<MediaRecord> {
  const clock = opts.clock ?? (() => new Date())
  const createdAt = clock()
  const mediaId = `KB-${createdAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`
  const snap = await store.backupSnapshot()
  const checkpoint = await opts.checkpointAt?.(snap.head)
  const manifest: BackupManifest = {
    mediaId,
    createdAt: createdAt.toISOString(),
    logPosition: snap.head.position,
    logHeadHash: snap.head.hash.toString('hex'),
    ...(checkpoint === undefined ? {} : { checkpoint })
  }
  const file = opts.register.fileOf(mediaId)
  const partial = `${file}.partial`
  const fh = await open(partial, 'wx', 0o640)
  const hash = createHash('sha256')
  let bytes = 0
  const write = async (b: Buffer): Promise<void> => {
    hash.update(b)
    bytes += b.length
    await fh.write(b)
  }
  try {
    const sealer = new BackupSealer(opts.recipient, { mediaId, createdAt: manifest.createdAt, logPosition: manifest.logPosition, logHeadHash: manifest.logHeadHash })
    await write(sealer.header)
    const put = async (type: RecordType, key: Buffer, value: Buffer): Promise<void> => {
      for (const sealed of sealer.push(encodeRecord(type, key, value))) await write(sealed)
    }
    await put(RecordType.MANIFEST, Buffer.alloc(0), Buffer.from(JSON.stringify(manifest)))
    await put(RecordType.APPLIANCE_KEY, Buffer.alloc(0), Buffer.from(opts.applianceKey))
    const counts = { log: 0, keys: 0 }
    let lastReport = 0
    for (const { space, chunks } of snap.spaces) {
      for await (const chunk of chunks) {
        for (const [key, value] of chunk) {
          await put(space === 'log' ? RecordType.LOG : RecordType.KEYS, key, value)
          counts[space]++
        }
        const position = space === 'log' ? Math.min(snap.head.position, readPosition((chunk.at(-1) as readonly [Buffer, Buffer])[0])) : snap.head.position
        if (bytes - lastReport >= 4 << 20 || space === 'keys') {
          lastReport = bytes
          opts.onProgress?.({ mediaId, position, of: snap.head.position, bytes })
        }
      }
    }
    await put(RecordType.END, Buffer.alloc(0), Buffer.from(JSON.stringify(counts)))
    await write(sealer.finish())
    await fh.sync()
  } catch (err) {
    await fh.close()
    await unlink(partial).catch(() => undefined)
    throw err
  }
  await fh.close()
  await rename(partial, file)
  opts.onProgress?.({ mediaId, position: snap.head.position, of: snap.head.position, bytes })
  await opts.register.written({ mediaId, createdAt: manifest.createdAt, sha256: hash.digest('hex'), bytes, location: opts.location, logPosition: manifest.logPosition, logHeadHash: manifest.logHeadHash })
  await disposeBeyond(opts.register, opts.generations, clock())
  const line = (await opts.register.list()).find((m) => m.mediaId === mediaId)
  return line as MediaRecord
}

/** Dispose of kept media older than the last `generations` (made unreadable, then removed; D13). */
async function disposeBeyond (register: MediaRegister, generations: number, at: Date): Promise<void> {
  for (const m of await register.list()) {
    if (m.disposedAt !== '' || m.generation <= generations) continue
    await shred(register.fileOf(m.mediaId))
    await register.disposed(m.mediaId, `superseded: ${generations} generations kept`, at)
  }
}

/** Overwrite a file with zeros, fsync, remove it. */
async function shred (file: string): Promise<void> {
  let fh
  try {
    fh = await open(file, 'r+')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  try {
    const { size } = await fh.stat()
    const zeros = Buffer.alloc(Math.min(size, 1 << 20))
    for (let at = 0; at < size; at += zeros.length) await fh.write(zeros, 0, Math.min(zeros.length, size - at), at)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await unlink(file)
}
