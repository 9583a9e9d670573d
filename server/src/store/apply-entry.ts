/**
 * What one log entry does to the derived views (SPEC §4). The same function runs when an entry is
 * appended and when rebuild or recovery replays the log, so the views are a pure function of the log
 * and rebuild reproduces them byte for byte. It needs no key: an accepted entry carries its effect
 * (blind indexes and the sealed new record), so views are reproduced even for a shredded resident.
 */
import { LogAdminKind, LogUpdateKind, ResultStatus, type CountsView, type LogEffect, type LogEntry, type LogUpdate, type ResidentView } from '../../../proto/src/types.ts'
import { countsKey, CURRENT_SPACE, dedupKey, decodeU64, DueKind, dueKey, encodeU64, historyKey, OUTBOX_CONFIRMED, rdigestKey, residentNumber, searchIndexKey, streamKey } from './layout.ts'
import { readCurrent } from './current-view.ts'
import { TEMP_ERASED_KIND } from './temp-area.ts'
import { viewSearchKeys } from './search-keys.ts'
import { actIndexKeys } from './act-index.ts'
import { jstDateOf } from '../domain/retention.ts'
import { decodeStored, encodeStored } from './codec.ts'
import type { ViewTx } from './view-tx.ts'

/**
 * Apply the entry at `entry.position`, whose chain hash is `hash`, to the views in `tx`. Synchronous:
 * @throws NeedRead for a view value not fetched yet (view-tx.ts withReads fetches it and runs it again)
 */
export function applyEntry (tx: ViewTx, entry: LogEntry, hash: Buffer): void {
  const update = entry.update
  if (update !== undefined && update !== null) applyUpdate(tx, entry.position, update, hash, recordedDate(entry.recordedAt))
  // A key erasure deletes the wrapped key (SPEC §2.5), here so that replaying an erasure whose group
  // was cut off after its log block deletes the key again (level-store.ts write order). It changes no
  // view but `due`: the views' ciphertext stays in place, unreadable.
  // A 附票 temporary-area slot erased (SPEC §2.2): deleted again on replay, never brought back.
  const act = entry.act
  if (act !== undefined && act !== null && act.kind === TEMP_ERASED_KIND) tx.del('temp', asBuffer(act.ref))
  // SPEC §4 "outbox position": a transmission batch the national side acknowledged moves the
  // confirmed position (outbox-session.ts only ever confirms forwards, in order).
  if (act !== undefined && act !== null && act.kind === 'national.forward' && !act.refused) {
    const last = tx.read('outbox', OUTBOX_CONFIRMED)
    if (last === undefined || decodeU64(last) < act.toPosition) tx.put('outbox', OUTBOX_CONFIRMED, encodeU64(act.toPosition))
  }
  // 提供状況 per person and correction cases (act-index.ts).
  if (act !== undefined && act !== null) for (const key of actIndexKeys(act, entry.position)) tx.put('actidx', key, EMPTY_VALUE)
  const admin = entry.admin
  if (admin === undefined || admin === null) return
  if (admin.kind === LogAdminKind.KEY_ERASURE) tx.del('keys', Buffer.from(admin.keyId))
  if (admin.kind === LogAdminKind.RETENTION || admin.kind === LogAdminKind.PHYSICAL_DELETION) {
    for (const keyId of admin.keyIds) tx.del('keys', Buffer.from(keyId))
    for (const row of admin.dueRows) tx.del('due', Buffer.from(row))
  }
}

function applyUpdate (tx: ViewTx, position: number, u: LogUpdate, hash: Buffer, date: string): void {
  const accepted = u.status === ResultStatus.ACCEPTED
  // Every count this entry moves, written once per municipality (most entries move two of one).
  const counts = new CountDeltas()
  counts.add(u.municipalityCode, accepted ? 'accepted' : 'rejected', 1)
  if (u.stream !== 0 && u.sequence > 0) {
    // SPEC §3: the server is idempotent on (municipality, stream, 更新順番号).
    tx.put('dedup', dedupKey(u.municipalityCode, u.stream, u.sequence), encodeStored('DedupView', { position, entryHash: hash, status: u.status, reasonCode: u.reasonCode, field: u.field }))
    const key = streamKey(u.municipalityCode, u.stream)
    const last = tx.read('lastseq', key)
    if (last === undefined || decodeU64(last) < u.sequence) tx.put('lastseq', key, encodeU64(u.sequence))
  }
  const effect = u.effect
  if (accepted && effect !== undefined && effect !== null) {
    if (u.kind === LogUpdateKind.IDENTITY) applyResident(tx, position, u.keyId, effect, counts, date)
    else if (u.kind === LogUpdateKind.FUHYO) applyFuhyo(tx, position, u.keyId, effect, date)
  }
  counts.apply(tx)
}

/**
 * SPEC §2.5: each record has its own key. The record this entry supersedes becomes history and its
 * key starts its 150 years (a `due` row filed under the day of the event: the view does not depend on
 * the configured term); a removal starts the 150 years of the removed record's key, replaced by its
 * supersession term should the person come back (消除の回復).
 */
function applyResident (tx: ViewTx, position: number, keyId: Uint8Array, effect: LogEffect, counts: CountDeltas, date: string): void {
  const subject = asBuffer(effect.subject)
  const retired = effect.retiredSubject.length > 0 ? asBuffer(effect.retiredSubject) : undefined
  const kojinToken = asBuffer(effect.kojinToken)
  const previousSubject = retired ?? subject
  const found = readCurrent(tx, previousSubject)
  let retiredSubjects: Uint8Array[] = []
  if (found !== undefined) {
    const previous = decodeStored('ResidentView', found.bytes)
    // History is filed under the 住民票コード the record had (a 住民票コード変更 leaves it under the old one).
    tx.put('history', historyKey(previousSubject, previous.position), encodeStored('HistoryView', { keyId: previous.keyId, position: previous.position, supersededAt: position, sealedRecord: previous.sealedRecord, person: previous.person }))
    if (previous.removed) tx.del('due', dueKey(previous.removedOn, DueKind.REMOVED, previous.keyId))
    if (keyEndsWithRecord(tx, previous, keyId, 'fuhyo', previousSubject)) tx.put('due', dueKey(date, DueKind.HISTORY, previous.keyId), DUE_VALUE)
    releaseKojin(tx, previous, found.number, kojinToken)
    if (!previous.removed) {
      counts.add(previous.municipalityCode, 'current', -1)
      tx.del('rdigest', rdigestKey(previous.municipalityCode, previousSubject))
    }
    for (const key of previous.searchKeys) tx.del('search', searchIndexKey(key, found.number))
    retiredSubjects = previous.retiredSubjects
  }
  // The record stays under its number while the subject stays; a new 住民票コード is a new subject and
  // gets the number of this entry (layout.ts residentNumber), unless the code already has a record.
  let number = found?.number
  if (retired !== undefined) {
    if (found !== undefined) tx.del(CURRENT_SPACE, found.number)
    tx.del('subjects', retired)
    retiredSubjects = [...retiredSubjects, retired]
    number = tx.read('subjects', subject)
  }
  if (number === undefined) {
    number = residentNumber(position)
    tx.put('subjects', subject, number)
  }
  // SPEC §2.5, E2: a removed person (転出, 死亡 …) is kept 150 years from the removal.
  if (effect.removed && keyEndsWithRecord(tx, effect, undefined, 'fuhyo', subject, keyId)) tx.put('due', dueKey(date, DueKind.REMOVED, keyId), DUE_VALUE)
  const searchKeys = viewSearchKeys(effect.searchKeys)
  tx.put(CURRENT_SPACE, number, encodeStored('ResidentView', {
    keyId, position, municipalityCode: effect.recordMunicipalityCode, removed: effect.removed, kojinToken, sealedRecord: effect.sealedRecord,
    searchKeys, person: effect.person, removedOn: effect.removed ? date : '', retiredSubjects
  }))
  // SPEC §4: the search index view, rebuilt from the effects like every other view. Both it and the
  // 個人番号 index name the resident by number since views v5 (layout.ts searchIndexKey), and an
  // entry of before v5 is filed under v5's three keys (search-keys.ts viewSearchKeys).
  for (const key of searchKeys) tx.put('search', searchIndexKey(key, number), EMPTY_VALUE)
  tx.put('kojin', kojinToken, number)
  if (!effect.removed) {
    counts.add(effect.recordMunicipalityCode, 'current', 1)
    // Entries written before the tag existed carry none: such a resident is compared as differing.
    tx.put('rdigest', rdigestKey(effect.recordMunicipalityCode, subject), asBuffer(effect.contentTag))
  }
}

const DUE_VALUE = Buffer.alloc(0)

/**
 * True when a record's key seals nothing that must outlive the record, so its term may destroy it.
 * Records written since views v2 (a person id is set) always have a key of their own. An earlier
 * store shared one key per person across records and both files (migration, docs/store-contract.md):
 * such a key is given a term only once no current record of the person uses it any more — later
 * than its oldest records' own terms, never earlier than a current record's end.
 */
function keyEndsWithRecord (tx: ViewTx, record: { readonly person: Uint8Array, readonly keyId?: Uint8Array }, nextKeyId: Uint8Array | undefined, other: 'current' | 'fuhyo', subject: Buffer, ownKeyId?: Uint8Array): boolean {
  if (record.person.length > 0) return true
  const keyId = asBuffer(ownKeyId ?? record.keyId ?? new Uint8Array(0))
  if (nextKeyId !== undefined && keyId.equals(nextKeyId)) return false
  const bytes = other === 'current' ? readCurrent(tx, subject)?.bytes : tx.read(other, subject)
  if (bytes === undefined) return true
  const otherKey = other === 'current' ? decodeStored('ResidentView', bytes).keyId : decodeStored('FuhyoView', bytes).keyId
  return !keyId.equals(otherKey)
}

/** A 個人番号変更 frees the old number; only if the index still points at this person (by resident number). */
function releaseKojin (tx: ViewTx, previous: ResidentView, previousNumber: Buffer, kojinToken: Buffer): void {
  const old = asBuffer(previous.kojinToken)
  if (old.length === 0 || old.equals(kojinToken)) return
  const holder = tx.read('kojin', old)
  if (holder !== undefined && holder.equals(previousNumber)) tx.del('kojin', old)
}

/** A superseded 附票 record's key starts its term like a pre-change 本人確認情報 (SPEC §2.5). */
function applyFuhyo (tx: ViewTx, position: number, keyId: Uint8Array, effect: LogEffect, date: string): void {
  const subject = asBuffer(effect.subject)
  const retired = effect.retiredSubject.length > 0 ? asBuffer(effect.retiredSubject) : undefined
  const previousBytes = tx.read('fuhyo', retired ?? subject)
  if (previousBytes !== undefined) {
    const previous = decodeStored('FuhyoView', previousBytes)
    if (keyEndsWithRecord(tx, previous, keyId, 'current', retired ?? subject)) tx.put('due', dueKey(date, DueKind.FUHYO, previous.keyId), DUE_VALUE)
  }
  if (retired !== undefined) tx.del('fuhyo', retired)
  tx.put('fuhyo', subject, encodeStored('FuhyoView', { keyId, position, sealedRecord: effect.sealedRecord, person: effect.person }))
}

/**
 * The JST date of an entry's recordedAt. Every entry of a commit group has the same recordedAt, so
 * the last one is kept (this runs once per entry on the store's serial thread).
 */
let lastRecordedAt = ''
let lastRecordedDate = ''
function recordedDate (recordedAt: string): string {
  if (recordedAt !== lastRecordedAt) {
    lastRecordedDate = jstDateOf(new Date(recordedAt))
    lastRecordedAt = recordedAt
  }
  return lastRecordedDate
}

/**
 * Count changes of one entry, by municipality; applied with one read and one write each. An entry
 * moves the counts of one or two municipalities (a 転入 between two), so a short list, not a map.
 */
class CountDeltas {
  readonly #byCode: Array<{ readonly municipalityCode: string, current: number, accepted: number, rejected: number }> = []

  add (municipalityCode: string, count: keyof CountsView, delta: number): void {
    let d = this.#byCode.find((x) => x.municipalityCode === municipalityCode)
    if (d === undefined) {
      d = { municipalityCode, current: 0, accepted: 0, rejected: 0 }
      this.#byCode.push(d)
    }
    d[count] += delta
  }

  apply (tx: ViewTx): void {
    for (const d of this.#byCode) {
      const municipalityCode = d.municipalityCode
      if (d.current === 0 && d.accepted === 0 && d.rejected === 0) continue
      const key = countsKey(municipalityCode)
      const bytes = tx.read('counts', key)
      const counts = bytes === undefined ? { current: 0, accepted: 0, rejected: 0 } : decodeStored('CountsView', bytes)
      tx.put('counts', key, encodeStored('CountsView', { current: counts.current + d.current, accepted: counts.accepted + d.accepted, rejected: counts.rejected + d.rejected }))
    }
  }
}

const EMPTY_VALUE = Buffer.alloc(0)

/** The bytes as a Buffer, without a copy (decoded fields and blind indexes are never written to). */
function asBuffer (bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
