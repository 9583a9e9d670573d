/**
 * What the retention job and a physical deletion erase (SPEC §2.5), found from the views alone:
 * key ids and `due` rows, never personal data. The store turns the result into one administrative
 * entry whose group deletes the wrapped keys (planner.ts planAdmin, apply-entry.ts).
 */
import { decodeStored } from './codec.ts'
import { getCurrent } from './current-view.ts'
import { DueKind, dueKey, KEY_ID_BYTES, parseDueKey, prefixEnd, type Space } from './layout.ts'
import type { Range } from './store-types.ts'
import { lastDueEventDate } from '../domain/retention.ts'

/** Reads of committed state (after the views caught up). */
export interface ErasureReader {
  readonly get: (space: Space, key: Buffer) => Promise<Buffer | undefined>
  readonly iterate: (space: Space, range: Range) => AsyncIterable<ReadonlyArray<readonly [Buffer, Buffer]>>
}

/** Every key that seals a record of the person holding `subject`: current, history, 附票. */
export async function personKeys (read: ErasureReader, subject: Buffer): Promise<{ person: Buffer, keyIds: Buffer[] } | undefined> {
  const currentBytes = await getCurrent(read.get, subject)
  const fuhyoBytes = await read.get('fuhyo', subject)
  if (currentBytes === undefined && fuhyoBytes === undefined) return undefined
  const current = currentBytes === undefined ? undefined : decodeStored('ResidentView', currentBytes)
  const fuhyo = fuhyoBytes === undefined ? undefined : decodeStored('FuhyoView', fuhyoBytes)
  const person = Buffer.from(current?.person ?? fuhyo?.person ?? new Uint8Array(0))
  const keyIds = new Map<string, Buffer>()
  const add = (keyId: Uint8Array): void => { keyIds.set(Buffer.from(keyId).toString('hex'), Buffer.from(keyId)) }
  if (current !== undefined) add(current.keyId)
  if (fuhyo !== undefined) add(fuhyo.keyId)
  // History is filed under every 住民票コード the person had (docs/store-contract.md).
  const subjects = [subject, ...(current?.retiredSubjects ?? []).map((s) => Buffer.from(s))]
  for (const s of subjects) {
    for await (const chunk of read.iterate('history', { gte: s, lt: prefixEnd(s) })) {
      for (const [, bytes] of chunk) {
        const h = decodeStored('HistoryView', bytes)
        if (person.length === 0 || Buffer.from(h.person).equals(person)) add(h.keyId)
      }
    }
    if (!s.equals(subject)) {
      const old = await read.get('fuhyo', s)
      if (old !== undefined) add(decodeStored('FuhyoView', old).keyId)
    }
  }
  return { person, keyIds: [...keyIds.values()] }
}

/** The `due` rows whose term of `years` ended on `today`, oldest first, at most `limit`. */
export async function dueRows (read: ErasureReader, today: string, years: number, limit: number): Promise<Array<{ row: Buffer, kind: DueKind, keyId: Buffer }>> {
  const out: Array<{ row: Buffer, kind: DueKind, keyId: Buffer }> = []
  // Rows sort by the day their term began: every row up to the last due day has ended.
  const lt = prefixEnd(dueKey(lastDueEventDate(today, years), 0 as DueKind, Buffer.alloc(0)).subarray(0, 8))
  for await (const chunk of read.iterate('due', { lt, limit })) {
    for (const [row] of chunk) {
      const { kind, keyId } = parseDueKey(row)
      out.push({ row: Buffer.from(row), kind, keyId })
    }
  }
  return out
}

const PERIOD_ID = /^P\d{4}-\d{2}$/

/** The period keys (act details, rejected updates of unknown persons) of periods up to `through`. */
export async function expiredPeriodKeys (read: ErasureReader, through: string): Promise<Buffer[]> {
  const out: Buffer[] = []
  const gte = Buffer.from('P', 'latin1')
  for await (const chunk of read.iterate('keys', { gte, lt: prefixEnd(gte) })) {
    for (const [keyId] of chunk) {
      if (keyId.length !== KEY_ID_BYTES || keyId.subarray(8).some((b) => b !== 0)) continue
      const name = keyId.toString('latin1', 0, 8)
      if (PERIOD_ID.test(name) && name.slice(1) <= through) out.push(Buffer.from(keyId))
    }
  }
  return out
}
