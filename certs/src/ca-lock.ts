/**
 * One writer at a time in a CA directory: two ken-pki processes issuing at once would otherwise
 * read the same serial counter. The lock file holds the owner's pid; a lock whose owner no longer
 * exists is taken over, anything else is KEN_ERR_PKI_CA_BUSY.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { errors } from './errors.ts'

const LOCK_FILE = '.lock'

function ownerAlive (lockPath: string): boolean {
  let pid: number
  try {
    pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
  } catch {
    return false
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function acquire (lockPath: string, retry: boolean): void {
  try {
    const fd = openSync(lockPath, 'wx', 0o600)
    writeSync(fd, String(process.pid))
    closeSync(fd)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    if (retry && !ownerAlive(lockPath)) {
      unlinkSync(lockPath)
      acquire(lockPath, false)
      return
    }
    throw errors.KEN_ERR_PKI_CA_BUSY(lockPath, { field: lockPath, cause: err })
  }
}

/** Run `fn` holding the CA directory's lock. */
export async function withCaLock<T> (caDir: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = join(caDir, LOCK_FILE)
  acquire(lockPath, true)
  try {
    return await fn()
  } finally {
    unlinkSync(lockPath)
  }
}
