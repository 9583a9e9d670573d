/**
 * What one log entry does to the derived views (SPEC §4). The same function runs when an entry is
 * appended and when rebuild or recovery replays the log, so the views are a pure function of the log
 * and rebuild reproduces them byte for byte. It needs no key: an accepted entry carries its effect
 * (blind indexes and the sealed new record), so views are reproduced even for a shredded resident.
 */
import { LogAdminKind, LogUpdateKind, ResultStatus, type CountsView, type LogEffect, type LogEntry, type LogUpdate, type ResidentView } from '../../../proto/src/types.ts'
import { countsKey, dedupKey, decodeU64, encodeU64, historyKey, searchIndexKey, streamKey } from './layout.ts'
import { decodeStored, encodeStored } from './codec.ts'
import type { ViewTx } from './view-tx.ts'

/** Apply the entry at `entry.position`, whose chain hash is `hash`, to the views in `tx`. */
export async function applyEntry (tx: ViewTx, entry: LogEntry, hash: Buffer): Promise<void> {
  const update = entry.update
  if (update !== undefined && update !== null) await applyUpdate(tx, entry.position, update, hash)
  // A key erasure deletes the wrapped key (SPEC §2.5), here so that replaying an erasure whose group
  // was cut off after its log block deletes the key again (level-store.ts write order). It changes no
  // view: the views' ciphertext stays in place, unreadable.
  const admin = entry.admin
  if (admin !== undefined && admin !== null && admin.kind === LogAdminKind.KEY_ERASURE) tx.del('keys', Buffer.from(admin.keyId))
}

async function applyUpdate (tx: ViewTx, position: number, u: LogUpdate, hash: Buffer): Promise<void> {
  const accepted = u.status === ResultStatus.ACCEPTED
  // Every count this entry moves, written once per municipality (most entries move two of one).
  const counts = new CountDeltas()
  counts.add(u.municipalityCode, accepted ? 'accepted' : 'rejected', 1)
  if (u.stream !== 0 && u.sequence > 0) {
    // SPEC §3: the server is idempotent on (municipality, stream, 更新順番号).
    tx.put('dedup', dedupKey(u.municipalityCode, u.stream, u.sequence), encodeStored('DedupView', { position, entryHash: hash, status: u.status, reasonCode: u.reasonCode, field: u.field }))
    const key = streamKey(u.municipalityCode, u.stream)
    const last = await tx.get('lastseq', key)
    if (last === undefined || decodeU64(last) < u.sequence) tx.put('lastseq', key, encodeU64(u.sequence))
  }
  const effect = u.effect
  if (accepted && effect !== undefined && effect !== null) {
    if (u.kind === LogUpdateKind.IDENTITY) await applyResident(tx, position, u.keyId, effect, counts)
    else if (u.kind === LogUpdateKind.FUHYO) applyFuhyo(tx, position, u.keyId, effect)
  }
  await counts.apply(tx)
}

async function applyResident (tx: ViewTx, position: number, keyId: Uint8Array, effect: LogEffect, counts: CountDeltas): Promise<void> {
  const subject = asBuffer(effect.subject)
  const retired = effect.retiredSubject.length > 0 ? asBuffer(effect.retiredSubject) : undefined
  const kojinToken = asBuffer(effect.kojinToken)
  const previousSubject = retired ?? subject
  const previousBytes = await tx.get('current', previousSubject)
  if (previousBytes !== undefined) {
    const previous = decodeStored('ResidentView', previousBytes)
    // History is filed under the 住民票コード the record had (a 住民票コード変更 leaves it under the old one).
    tx.put('history', historyKey(previousSubject, previous.position), encodeStored('HistoryView', { keyId: previous.keyId, position: previous.position, supersededAt: position, sealedRecord: previous.sealedRecord }))
    await releaseKojin(tx, previous, previousSubject, kojinToken)
    if (!previous.removed) counts.add(previous.municipalityCode, 'current', -1)
    for (const key of previous.searchKeys) tx.del('search', searchIndexKey(key, previousSubject))
  }
  if (retired !== undefined) tx.del('current', retired)
  tx.put('current', subject, encodeStored('ResidentView', { keyId, position, municipalityCode: effect.recordMunicipalityCode, removed: effect.removed, kojinToken, sealedRecord: effect.sealedRecord, searchKeys: effect.searchKeys }))
  // SPEC §4: the search index view, rebuilt from the effects like every other view.
  for (const key of effect.searchKeys) tx.put('search', searchIndexKey(key, subject), EMPTY_VALUE)
  tx.put('kojin', kojinToken, subject)
  if (!effect.removed) counts.add(effect.recordMunicipalityCode, 'current', 1)
}

/** A 個人番号変更 frees the old number; only if the index still points at this person. */
async function releaseKojin (tx: ViewTx, previous: ResidentView, previousSubject: Buffer, kojinToken: Buffer): Promise<void> {
  const old = asBuffer(previous.kojinToken)
  if (old.length === 0 || old.equals(kojinToken)) return
  const holder = await tx.get('kojin', old)
  if (holder !== undefined && holder.equals(previousSubject)) tx.del('kojin', old)
}

function applyFuhyo (tx: ViewTx, position: number, keyId: Uint8Array, effect: LogEffect): void {
  const subject = asBuffer(effect.subject)
  if (effect.retiredSubject.length > 0) tx.del('fuhyo', asBuffer(effect.retiredSubject))
  tx.put('fuhyo', subject, encodeStored('FuhyoView', { keyId, position, sealedRecord: effect.sealedRecord }))
}

/** Count changes of one entry, by municipality; applied with one read and one write each. */
class CountDeltas {
  readonly #byCode = new Map<string, { current: number, accepted: number, rejected: number }>()

  add (municipalityCode: string, count: keyof CountsView, delta: number): void {
    let d = this.#byCode.get(municipalityCode)
    if (d === undefined) {
      d = { current: 0, accepted: 0, rejected: 0 }
      this.#byCode.set(municipalityCode, d)
    }
    d[count] += delta
  }

  async apply (tx: ViewTx): Promise<void> {
    for (const [municipalityCode, d] of this.#byCode) {
      if (d.current === 0 && d.accepted === 0 && d.rejected === 0) continue
      const key = countsKey(municipalityCode)
      const bytes = await tx.get('counts', key)
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
