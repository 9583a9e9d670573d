import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'

/** Bytes of the files under `dir` (what a store keeps on disk, for the write amplification figures). */
export function diskUsage (dir: string): number {
  let total = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    total += e.isDirectory() ? diskUsage(p) : statSync(p).size
  }
  return total
}
