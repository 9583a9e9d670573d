/**
 * The `actidx` view (docs/store-contract.md "Key layout"): acts found without reading the whole log.
 * - `S` ‖ subject ‖ position: a provision or transfer that handed over the person's record — the
 *   提供状況 a disclosure lists (住基法30条の32; requirements A4.5: "提供記録 must be searchable per
 *   person over the whole retention period"). Refused attempts handed nothing over and are not filed.
 * - `C` ‖ case id ‖ position: every step of a correction case (30条の35, A4.6), so a case is the fold
 *   of its own acts and the open cases are one scan of this prefix (cases are few: one per request).
 * Blind indexes and random case ids only: the view holds no personal data.
 */
import type { LogAct } from '../../../proto/src/types.ts'
import { positionKey, prefixEnd } from './layout.ts'

/**
 * Act kinds that hand a person's record to a recipient (a provision or transfer): one by one at the
 * terminal, or in a 一括提供 file (A5; its detail names kind, recipient and items like a provision's).
 */
export const PROVISION_KINDS: ReadonlySet<string> = new Set(['terminal.provide', 'terminal.bulk.run'])

/** Act kinds that are steps of a correction case (their `ref` is the case id). */
export const CASE_KIND_PREFIX = 'correction.'

const SUBJECT_TAG = 0x53 // 'S'
const CASE_TAG = 0x43 // 'C'
export const CASE_ID_BYTES = 16

/** The actidx keys an act files (none for most acts). */
export function actIndexKeys (act: LogAct, position: number): Buffer[] {
  if (act.refused) return []
  if (PROVISION_KINDS.has(act.kind)) return act.subjects.map((s) => Buffer.concat([Buffer.of(SUBJECT_TAG), s, positionKey(position)]))
  if (act.kind.startsWith(CASE_KIND_PREFIX) && act.ref.length === CASE_ID_BYTES) return [Buffer.concat([Buffer.of(CASE_TAG), act.ref, positionKey(position)])]
  return []
}

/** The key range of one person's provision acts. */
export function subjectRange (subject: Uint8Array): { gte: Buffer, lt: Buffer } {
  const prefix = Buffer.concat([Buffer.of(SUBJECT_TAG), subject])
  return { gte: prefix, lt: prefixEnd(prefix) }
}

/** The key range of one case's steps, or of every case's when `caseId` is undefined. */
export function caseRange (caseId?: Uint8Array): { gte: Buffer, lt: Buffer } {
  const prefix = caseId === undefined ? Buffer.of(CASE_TAG) : Buffer.concat([Buffer.of(CASE_TAG), caseId])
  return { gte: prefix, lt: prefixEnd(prefix) }
}

/** The log position at the end of an actidx key. */
export function actIndexPosition (key: Buffer): number {
  return Number(key.readBigUInt64BE(key.length - 8))
}

/** The case id of a `C` key. */
export function caseIdOf (key: Buffer): Buffer {
  return key.subarray(1, 1 + CASE_ID_BYTES)
}
