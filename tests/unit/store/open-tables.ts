import path from 'node:path'
import { readdirSync, readlinkSync } from 'node:fs'

/** /proc/self/fd is Linux's (the appliance's OS): tests that count open tables skip elsewhere. */
export const LINUX = { skip: process.platform !== 'linux' }

/**
 * Table files of one database that this process has open now (LevelDB holds a descriptor for each
 * table in its table cache: patches/classic-level-3.0.0-no-mmap-reads.patch reads them with pread).
 */
export function openTables (dir: string): number {
  const prefix = path.resolve(dir) + path.sep
  const files = new Set<string>()
  for (const fd of readdirSync('/proc/self/fd')) {
    let file = ''
    try { file = readlinkSync(path.join('/proc/self/fd', fd)) } catch { continue } // closed since the listing
    if (file.startsWith(prefix) && file.endsWith('.ldb')) files.add(file)
  }
  return files.size
}
