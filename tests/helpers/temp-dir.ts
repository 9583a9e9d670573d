/**
 * Temporary directories of the tests, never left behind: they hold development keys and stores
 * (appliance keys, CS private keys, LevelDB files), and a run of `npm test` that left ~300 of them in
 * /tmp (session 13) filled a long-lived machine's temporary directory with key material.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** Anything with tap's teardown. */
export interface Teardown { teardown (fn: () => void): void }

/** A fresh temporary directory, removed when the test `t` ends. */
export function tempDir (t: Teardown, prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

const untilExit: string[] = []

/**
 * A fresh temporary directory, removed when this process exits — for helpers without a test at hand
 * and for a test file's top-level fixtures. tap runs each test file in a process of its own, so
 * this is the end of the file's tests, passed or failed ('exit' runs on process.exit and on a normal
 * end; a process killed by a signal leaves it, as it leaves everything else).
 */
export function tempDirUntilExit (prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  if (untilExit.length === 0) process.once('exit', removeAll)
  untilExit.push(dir)
  return dir
}

function removeAll (): void {
  for (const dir of untilExit.splice(0)) rmSync(dir, { recursive: true, force: true })
}
