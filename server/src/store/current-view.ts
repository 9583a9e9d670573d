/**
 * The current records' two steps (views v4, docs/store-contract.md "Key layout"): `subjects` maps a
 * subject (blind index of a 住民票コード) to the resident's number, `~current` holds the record under
 * that number (layout.ts CURRENT_SPACE: numbers only grow, so LevelDB moves those tables down without
 * rewriting them). Every reader of a current record by subject goes through here; the search and
 * 個人番号 indexes hold the number itself since views v5 and read `~current` directly.
 */
import { CURRENT_SPACE, type Space } from './layout.ts'
import type { ViewTx } from './view-tx.ts'

/** A current record as the group sees it, with the number it is kept under. */
export interface CurrentEntry {
  readonly number: Buffer
  readonly bytes: Buffer
}

/**
 * The current record of `subject` in the group's overlay, or undefined.
 * @throws NeedRead for the index or the record not fetched yet (view-tx.ts withReads)
 */
export function readCurrent (tx: ViewTx, subject: Buffer): CurrentEntry | undefined {
  const number = tx.read('subjects', subject)
  if (number === undefined) return undefined
  const bytes = tx.read(CURRENT_SPACE, number)
  return bytes === undefined ? undefined : { number, bytes }
}

/** Fetch the current records of `subjects` into the overlay: the index in one read, then the records in one. */
export async function prefetchCurrent (tx: ViewTx, subjects: readonly Buffer[]): Promise<void> {
  await tx.prefetch('subjects', subjects)
  const numbers: Buffer[] = []
  for (const subject of subjects) {
    const number = tx.read('subjects', subject)
    if (number !== undefined) numbers.push(number)
  }
  await tx.prefetch(CURRENT_SPACE, numbers)
}

/** The committed current record of `subject` (two point reads), or undefined. */
export async function getCurrent (get: (space: Space, key: Buffer) => Promise<Buffer | undefined>, subject: Buffer): Promise<Buffer | undefined> {
  const number = await get('subjects', subject)
  return number === undefined ? undefined : await get(CURRENT_SPACE, number)
}
