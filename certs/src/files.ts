/**
 * How certs/ writes files. Every file appears atomically (written under a temporary name, then
 * linked or renamed into place), so a reader — node:tls, the CrlStore's watcher, a second ken-pki —
 * never sees half a key or half a CRL. Private keys are created with mode 0600 from the first byte
 * (the temporary file is opened with that mode; nothing is chmod-ed afterwards) and are never
 * overwritten.
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { errors } from './errors.ts'

/** Mode of private key files and of the CA's state. */
export const SECRET_MODE = 0o600
/** Mode of certificates, CRLs and other public material. */
export const PUBLIC_MODE = 0o644

interface WriteOptions {
  readonly mode: number
  /** fsync the file and its directory before returning (CA keys and state). */
  readonly durable?: boolean
}

function writeTemp (path: string, data: string | Uint8Array, opts: WriteOptions): string {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const fd = openSync(tmp, 'wx', opts.mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    if (opts.durable === true) fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return tmp
}

function syncDir (path: string): void {
  const fd = openSync(dirname(path), 'r')
  try { fsyncSync(fd) } finally { closeSync(fd) }
}

/** Create `path` with `data`; KEN_ERR_PKI_FILE_EXISTS when it already exists. */
export function createFile (path: string, data: string | Uint8Array, opts: WriteOptions): void {
  const tmp = writeTemp(path, data, opts)
  try {
    linkSync(tmp, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw errors.KEN_ERR_PKI_FILE_EXISTS(path, { field: path, cause: err })
    throw err
  } finally {
    unlinkSync(tmp)
  }
  if (opts.durable === true) syncDir(path)
}

/** Create or atomically replace `path` with `data`. */
export function replaceFile (path: string, data: string | Uint8Array, opts: WriteOptions): void {
  const tmp = writeTemp(path, data, opts)
  try {
    renameSync(tmp, path)
  } catch (err) {
    unlinkSync(tmp)
    throw err
  }
  if (opts.durable === true) syncDir(path)
}
