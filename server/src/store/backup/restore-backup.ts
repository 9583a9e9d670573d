/**
 * Restore a backup (SPEC §7: "restore is verified against the signed checkpoint before the store
 * accepts writes again"): decrypt with the administrator's key, write the log and the wrapped keys
 * into a staging directory beside the target, rebuild the views by opening it, verify the whole
 * hash chain and that it ends exactly at the head the backup recorded, then the checkpoint (an
 * injected verifier: the transparency log's, issue 11) — and only then move the staging directory
 * to the target. Until that rename no store can open the target, so nothing is written to a store
 * that did not verify. The restore is recorded as an act in the restored log.
 */
import { createReadStream, existsSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { KeyObject } from 'node:crypto'
import { ClassicLevel } from 'classic-level'
import { databasePath, LevelStore } from '../level-store.ts'
import { readPosition } from '../layout.ts'
import type { Head, Store } from '../store.ts'
import { errors } from '../errors.ts'
import { openBackup, type BackupHeader } from './backup-cipher.ts'
import { readRecords, RecordType, type BackupEnd, type BackupManifest } from './backup-records.ts'

/** Checks the signed checkpoint the backup carries against the restored head; throws when it fails. */
/** Holds the restored store to the backup's signed checkpoint (SPEC §7); throws when it does not hold. */
export type CheckpointVerifier = (store: Store, head: Head, checkpoint: string | undefined) => Promise<void>

export interface RestoreOptions {
  readonly file: string
  /** The administrator's X25519 private key (recipient-key.ts readIdentityKey). */
  readonly identity: KeyObject
  /** A store directory that does not exist yet. */
  readonly target: string
  /** Where to write the appliance key of the restored store (mode 0600; must not exist). */
  readonly applianceKeyFile: string
  /** Who restores (the administrator's id), recorded in the restored log. */
  readonly actor: string
  readonly verifyCheckpoint?: CheckpointVerifier
  readonly onProgress?: (p: { readonly phase: 'decrypt' | 'rebuild' | 'verify', readonly position: number, readonly of: number }) => void
}

export interface RestoreResult {
  readonly mediaId: string
  readonly head: { readonly position: number, readonly hash: string }
  readonly entries: number
}

export async function restoreBackup (opts: RestoreOptions): Promise<RestoreResult> {
  if (existsSync(opts.target)) throw errors.KEN_ERR_STORE_RESTORE_TARGET(undefined, { field: 'target' })
  if (existsSync(opts.applianceKeyFile)) throw errors.KEN_ERR_STORE_RESTORE_TARGET('the appliance key file exists', { field: 'applianceKeyFile' })
  const staging = `${opts.target}.restoring`
  await rm(staging, { recursive: true, force: true })
  await mkdir(staging, { recursive: true, mode: 0o700 })
  try {
    const { manifest, applianceKey } = await decryptInto(opts, staging)
    const store = new LevelStore({ location: staging, applianceKey })
    opts.onProgress?.({ phase: 'rebuild', position: 0, of: manifest.logPosition })
    await store.open()
    try {
      opts.onProgress?.({ phase: 'verify', position: 0, of: manifest.logPosition })
      const verified = await store.verify()
      if (!verified.ok || verified.head.position !== manifest.logPosition || verified.head.hash !== manifest.logHeadHash) {
        throw errors.KEN_ERR_STORE_RESTORE_VERIFY(verified.ok ? `ends at ${verified.head.position}, backup says ${manifest.logPosition}` : `chain broken at ${verified.issue?.position ?? '?'}`)
      }
      const head = store.head()
      try {
        await opts.verifyCheckpoint?.(store, head, manifest.checkpoint)
      } catch (err) {
        throw errors.KEN_ERR_STORE_RESTORE_VERIFY('the checkpoint does not verify', { cause: err })
      }
      await store.recordAct({ kind: 'maint.restore', actor: opts.actor, role: 'administrator', note: `restored ${manifest.mediaId} at log position ${manifest.logPosition}` })
      await mkdir(path.dirname(opts.applianceKeyFile), { recursive: true, mode: 0o700 })
      await writeFile(opts.applianceKeyFile, applianceKey, { mode: 0o600, flag: 'wx' })
      return { mediaId: manifest.mediaId, head: verified.head, entries: verified.entries }
    } finally {
      applianceKey.fill(0)
      await store.close()
    }
  } catch (err) {
    await rm(staging, { recursive: true, force: true })
    throw err
  } finally {
    if (existsSync(staging)) await rename(staging, opts.target)
  }
}

/** Decrypt the file and write its pairs into the staging databases. */
async function decryptInto (opts: RestoreOptions, staging: string): Promise<{ manifest: BackupManifest, applianceKey: Buffer }> {
  let header: BackupHeader | undefined
  let manifest: BackupManifest | undefined
  let applianceKey: Buffer | undefined
  let end: BackupEnd | undefined
  const counts = { log: 0, keys: 0 }
  const dbs = { log: new ClassicLevel<Buffer, Buffer>(databasePath(staging, 'log'), ENCODING), keys: new ClassicLevel<Buffer, Buffer>(databasePath(staging, 'keys'), ENCODING) }
  const subs = { log: dbs.log.sublevel<Buffer, Buffer>('log', ENCODING), keys: dbs.keys.sublevel<Buffer, Buffer>('keys', ENCODING) }
  await Promise.all([dbs.log.open(), dbs.keys.open()])
  try {
    const plain = openBackup(createReadStream(opts.file) as AsyncIterable<Buffer>, opts.identity, (h) => { header = h })
    let batch: { space: 'log' | 'keys', ops: Array<[Buffer, Buffer]> } | undefined
    const flush = async (): Promise<void> => {
      if (batch === undefined || batch.ops.length === 0) return
      await subs[batch.space].batch(batch.ops.map(([key, value]) => ({ type: 'put' as const, key, value })))
      const of = manifest?.logPosition ?? 0
      opts.onProgress?.({ phase: 'decrypt', position: batch.space === 'log' ? Math.min(of, readPosition((batch.ops.at(-1) as [Buffer, Buffer])[0])) : of, of })
      batch.ops = []
    }
    for await (const r of readRecords(plain)) {
      if (end !== undefined) throw errors.KEN_ERR_STORE_BACKUP_FORMAT('records after the end')
      if (r.type === RecordType.MANIFEST) manifest = JSON.parse(r.value.toString('utf8')) as BackupManifest
      else if (r.type === RecordType.APPLIANCE_KEY) applianceKey = Buffer.from(r.value)
      else if (r.type === RecordType.END) {
        await flush()
        end = JSON.parse(r.value.toString('utf8')) as BackupEnd
      } else {
        const space = r.type === RecordType.LOG ? 'log' : 'keys'
        if (batch?.space !== space) {
          await flush()
          batch = { space, ops: [] }
        }
        batch.ops.push([Buffer.from(r.key), Buffer.from(r.value)])
        counts[space]++
        if (batch.ops.length >= 1024) await flush()
      }
    }
    if (manifest === undefined || applianceKey === undefined || end === undefined || end.log !== counts.log || end.keys !== counts.keys) throw errors.KEN_ERR_STORE_BACKUP_FORMAT('incomplete backup')
    if (header?.logPosition !== manifest.logPosition || header.logHeadHash !== manifest.logHeadHash) throw errors.KEN_ERR_STORE_BACKUP_TAMPERED('header and manifest differ')
    return { manifest, applianceKey }
  } finally {
    await Promise.all([dbs.log.close(), dbs.keys.close()])
  }
}

const ENCODING = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const
