/**
 * What one log entry does to the derived views (SPEC §4). The same function runs when an entry is
 * appended and when rebuild or recovery replays the log, so the views are a pure function of the log
 * and rebuild reproduces them byte for byte. It needs no key: an accepted entry carries its effect
 * (blind indexes and the sealed new record), so views are reproduced even for a shredded resident.
 */
import { LogAdminKind, LogUpdateKind, ResultStatus, type CountsView, type LogEffect, type LogEntry, type LogUpdate, type ResidentView } from '../../../proto/src/types.ts'
import { countsKey, dedupKey, decodeU64, encodeU64, historyKey, streamKey } from './layout.ts'
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
  await bumpCounts(tx, u.municipalityCode, { accepted: accepted ? 1 : 0, rejected: accepted ? 0 : 1 })
  if (u.stream !== 0 && u.sequence > 0) {
    // SPEC §3: the server is idempotent on (municipality, stream, 更新順番号).
    tx.put('dedup', dedupKey(u.municipalityCode, u.stream, u.sequence), encodeStored('DedupView', { position, entryHash: hash, status: u.status, reasonCode: u.reasonCode, field: u.field }))
    const key = streamKey(u.municipalityCode, u.stream)
    const last = await tx.get('lastseq', key)
    if (last === undefined || decodeU64(last) < u.sequence) tx.put('lastseq', key, encodeU64(u.sequence))
  }
  const effect = u.effect
  if (!accepted || effect === undefined || effect === null) return
  if (u.kind === LogUpdateKind.IDENTITY) await applyResident(tx, position, u.keyId, effect)
  else if (u.kind === LogUpdateKind.FUHYO) applyFuhyo(tx, position, u.keyId, effect)
}

async function applyResident (tx: ViewTx, position: number, keyId: Uint8Array, effect: LogEffect): Promise<void> {
  const subject = Buffer.from(effect.subject)
  const retired = effect.retiredSubject.length > 0 ? Buffer.from(effect.retiredSubject) : undefined
  const kojinToken = Buffer.from(effect.kojinToken)
  const previousSubject = retired ?? subject
  const previousBytes = await tx.get('current', previousSubject)
  if (previousBytes !== undefined) {
    const previous = decodeStored('ResidentView', previousBytes)
    // History is filed under the 住民票コード the record had (a 住民票コード変更 leaves it under the old one).
    tx.put('history', historyKey(previousSubject, previous.position), encodeStored('HistoryView', { keyId: previous.keyId, position: previous.position, supersededAt: position, sealedRecord: previous.sealedRecord }))
    await releaseKojin(tx, previous, previousSubject, kojinToken)
    if (!previous.removed) await bumpCounts(tx, previous.municipalityCode, { current: -1 })
  }
  if (retired !== undefined) tx.del('current', retired)
  tx.put('current', subject, encodeStored('ResidentView', { keyId, position, municipalityCode: effect.recordMunicipalityCode, removed: effect.removed, kojinToken, sealedRecord: effect.sealedRecord }))
  tx.put('kojin', kojinToken, subject)
  if (!effect.removed) await bumpCounts(tx, effect.recordMunicipalityCode, { current: 1 })
}

/** A 個人番号変更 frees the old number; only if the index still points at this person. */
async function releaseKojin (tx: ViewTx, previous: ResidentView, previousSubject: Buffer, kojinToken: Buffer): Promise<void> {
  const old = Buffer.from(previous.kojinToken)
  if (old.length === 0 || old.equals(kojinToken)) return
  const holder = await tx.get('kojin', old)
  if (holder !== undefined && holder.equals(previousSubject)) tx.del('kojin', old)
}

function applyFuhyo (tx: ViewTx, position: number, keyId: Uint8Array, effect: LogEffect): void {
  const subject = Buffer.from(effect.subject)
  if (effect.retiredSubject.length > 0) tx.del('fuhyo', Buffer.from(effect.retiredSubject))
  tx.put('fuhyo', subject, encodeStored('FuhyoView', { keyId, position, sealedRecord: effect.sealedRecord }))
}

async function bumpCounts (tx: ViewTx, municipalityCode: string, delta: Partial<CountsView>): Promise<void> {
  const key = countsKey(municipalityCode)
  const bytes = await tx.get('counts', key)
  const counts = bytes === undefined ? { current: 0, accepted: 0, rejected: 0 } : decodeStored('CountsView', bytes)
  tx.put('counts', key, encodeStored('CountsView', {
    current: counts.current + (delta.current ?? 0),
    accepted: counts.accepted + (delta.accepted ?? 0),
    rejected: counts.rejected + (delta.rejected ?? 0)
  }))
}
