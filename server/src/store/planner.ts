/**
 * Turns what arrives at the store into log entries, one after the other, inside a commit group
 * (SPEC §3, §4): redeliveries are answered from the dedup view and make no entry; every other item
 * becomes exactly one entry — accepted, or a rejection record — and its effect goes into the group's
 * overlay at once, so the next item of the group decides against it. Nothing here does I/O: it runs
 * synchronously on what the overlay holds (the group's prefetch, prefetch.ts), and a value it does not
 * hold stops the step with NeedRead, after which the caller fetches it and plans the step again
 * (view-tx.ts withReads). The committer writes the group durably (commit-group.ts).
 */
import { ChangeReason, LogAdminKind, LogUpdateKind, ResultStatus, type AppendItem, type Stream, type IdentityUpdate, type LogAct, type LogAdminAct, type LogEffect, type LogEntry, type LogUpdate, type StoredResident, type Update, type UpdateResult } from '../../../proto/src/types.ts'
import { decideIdentityUpdate } from '../domain/transition.ts'
import { decideFuhyoUpdate } from '../domain/fuhyo-transition.ts'
import type { Decision, FuhyoRecord, ResidentRecord } from '../domain/records.ts'
import { CURRENT_SPACE, dedupKey, decodeU64, HASH_BYTES, KEY_ID_BYTES, streamKey } from './layout.ts'
import { randomBytesFromPool } from './random-pool.ts'
import { decodeStored, encodeStored, fuhyoRecord, residentRecord, storedFuhyo, storedResident } from './codec.ts'
import { FRAME_OVERHEAD, frameEntry, frameInPlace } from './log-block.ts'
import { encodeUpdateEntry } from './stored-encode.ts'
import { applyEntry } from './apply-entry.ts'
import { open, seal, sealAad, SealPurpose } from './sealing.ts'
import { periodKeyId, type Keyring } from './keyring.ts'
import type { ActInput } from './store-types.ts'
import { withReads, type ViewTx } from './view-tx.ts'
import { readCurrent } from './current-view.ts'
import { errors } from './errors.ts'

/** The running state of one commit group. */
export interface GroupState {
  readonly tx: ViewTx
  readonly keyring: Keyring | undefined
  /** The last entry made (committed, or planned earlier in this group). */
  head: { position: number, hash: Buffer }
  /** Frames of the entries planned so far, in order: the group's log block. */
  readonly frames: Buffer[]
  /**
   * The ids of the data keys made in this group, in order. A step taken back (a missed read, or a
   * refusal) takes its keys out of the keyring's memory again ({@link planStep}): their wrapped form
   * went with the step's writes, and a key the keyring still held would be used without ever being
   * written, leaving what it seals unreadable after a restart.
   */
  readonly made: Buffer[]
  readonly recordedAt: string
  /** 通知を受けた年月日 (YYYY-MM-DD, the store's clock in JST). */
  readonly today: string
}

const EMPTY = new Uint8Array(0)

/**
 * Run one planning step; when it misses a read, take it back — the overlay's writes, the group's head
 * and frames, the keys it made — fetch the value and run it again (view-tx.ts withReads).
 */
export function planStep<T> (g: GroupState, step: () => T): T | Promise<T> {
  const mark = stepMark(g)
  return withReads(g.tx, step, () => { takeBack(g, mark) })
}

/** Where a step starts, for {@link takeBack}; the overlay keeps its own mark (ViewTx#mark). */
export interface StepMark { readonly head: GroupState['head'], readonly frames: number, readonly made: number }

export function stepMark (g: GroupState): StepMark {
  return { head: g.head, frames: g.frames.length, made: g.made.length }
}

/** Undo what a step did outside the overlay: the head, its frames, and the keys it made. */
export function takeBack (g: GroupState, mark: StepMark): void {
  g.head = mark.head
  g.frames.length = mark.frames
  for (const keyId of g.made.splice(mark.made)) g.keyring?.drop(keyId)
}

/** Plan one AppendItem; returns its result (DUPLICATE makes no entry). */
export function planItem (g: GroupState, item: AppendItem): UpdateResult {
  const update = item.update ?? undefined
  const rejection = item.rejection ?? undefined
  const stream = update?.stream ?? rejection?.stream ?? 0
  const sequence = update?.sequence ?? rejection?.sequence ?? 0
  const requestId = update?.requestId ?? rejection?.requestId ?? ''
  const tracked = stream !== 0 && sequence > 0
  if (tracked) {
    const first = g.tx.read('dedup', dedupKey(item.municipalityCode, stream, sequence))
    if (first !== undefined) {
      const d = decodeStored('DedupView', first)
      return updateResult(item, stream, sequence, requestId, ResultStatus.DUPLICATE, d.reasonCode, d.field, d.position, d.entryHash, 0)
    }
  }
  let expectedSequence = 0
  if (tracked) {
    const last = g.tx.read('lastseq', streamKey(item.municipalityCode, stream))
    const next = (last === undefined ? 0 : decodeU64(last)) + 1
    if (sequence !== next) expectedSequence = next // SPEC §3: gaps are reported
  }
  const record: LogUpdate = {
    municipalityCode: item.municipalityCode,
    stream,
    sequence,
    requestId,
    payloadSha256: item.payloadSha256,
    payloadLength: rejection?.payloadLength ?? 0,
    kind: LogUpdateKind.PRE_REJECTED,
    changeReason: update?.identity?.changeReason ?? ChangeReason.UNSPECIFIED,
    status: ResultStatus.REJECTED,
    reasonCode: rejection?.reasonCode ?? '',
    field: rejection?.field ?? '',
    expectedSequence,
    keyId: EMPTY,
    sealedUpdate: EMPTY,
    effect: null
  }
  const position = g.head.position + 1
  if (update !== undefined) {
    const identity = update.identity ?? undefined
    if (identity !== undefined) planIdentity(g, item, update, identity, position, record)
    else planFuhyo(g, item, update, position, record)
  }
  const { hash } = frameAndApply(g, { position, recordedAt: g.recordedAt, update: record, admin: null })
  return updateResult(item, stream, sequence, requestId, record.status, record.reasonCode, record.field, position, hash, expectedSequence)
}

/**
 * An item's result, built in one literal with its keys in one order. It was a spread of the item's
 * part (`{ ...base, status, … }`): planItem was then the top allocation site of bench:store's main
 * thread, ~2.7 KB per item in the sampling heap profile, ~0.4 KB without it (issue 18;
 * bench/results/2026-11-30-session12-gc7-ab.txt).
 */
function updateResult (item: AppendItem, stream: Stream, sequence: number, requestId: string, status: ResultStatus, reasonCode: string, field: string, logPosition: number, entryHash: Uint8Array, expectedSequence: number): UpdateResult {
  return { municipalityCode: item.municipalityCode, stream, sequence, requestId, payloadSha256: item.payloadSha256, status, reasonCode, field, logPosition, entryHash, expectedSequence }
}

/** Plan an administrative act; returns its position and hash. */
export function planAdmin (g: GroupState, act: LogAdminAct): { position: number, hash: Buffer } {
  if (act.kind === LogAdminKind.KEY_ERASURE) {
    const keyId = Buffer.from(act.keyId)
    if (g.tx.read('keys', keyId) === undefined) throw errors.KEN_ERR_STORE_KEY_UNKNOWN()
    // SPEC §2.5 crypto-shredding: no copy stays in memory; the wrapped key is deleted by applyEntry
    // in the group that records the act. The ciphertext it sealed stays in the chain, unreadable.
    g.keyring?.forget(keyId)
  }
  if (act.kind === LogAdminKind.RETENTION || act.kind === LogAdminKind.PHYSICAL_DELETION) {
    // Only keys that still exist are named: a key shredded earlier (another deletion) is not again.
    const present: Uint8Array[] = []
    for (const keyId of act.keyIds) if (g.tx.read('keys', Buffer.from(keyId)) !== undefined) present.push(keyId)
    if (act.kind === LogAdminKind.PHYSICAL_DELETION && present.length === 0) throw errors.KEN_ERR_STORE_KEY_UNKNOWN()
    act.keyIds = present
    for (const keyId of present) g.keyring?.forget(keyId)
  }
  return frameAndApply(g, { position: g.head.position + 1, recordedAt: g.recordedAt, update: null, admin: act })
}

/**
 * Plan a change of the 附票 temporary area (SPEC §2.2) and the act that records it. The slot's value
 * is written with the log block (durable with the act), its deletion after it; recovery replays the
 * deletion from the act (apply-entry.ts), so an erased slot never comes back.
 */
export function planTemp (g: GroupState, slot: Buffer, value: Buffer | null, act: ActInput): { position: number, hash: Buffer } {
  if (value === null) {
    if (g.tx.read('temp', slot) === undefined) throw errors.KEN_ERR_STORE_TEMP_UNKNOWN()
    g.tx.del('temp', slot)
  } else {
    g.tx.put('temp', slot, value)
  }
  return planAct(g, { ...act, ref: slot })
}

/**
 * Plan an act of a person or a front daemon (SPEC §4, §6). Its personal part is sealed under the
 * period key of the month (made in this group when it is the month's first sealed act, durable
 * before the entry that uses it, like a resident key).
 */
export function planAct (g: GroupState, input: ActInput): { position: number, hash: Buffer } {
  const position = g.head.position + 1
  const detail = input.detail
  const codes = input.juminhyoCodes ?? []
  const needsKeyring = (detail !== undefined && detail.length > 0) || codes.length > 0
  const keyring = needsKeyring ? requireKeyring(g) : undefined
  let period = ''
  let sealedDetail: Uint8Array = EMPTY
  if (keyring !== undefined && detail !== undefined && detail.length > 0) {
    period = g.recordedAt.slice(0, 7)
    const keyId = periodKeyId(period)
    const dataKey = usableKey(g, keyId) ?? createPeriodKey(g, keyring, keyId)
    sealedDetail = seal(dataKey, sealAad(SealPurpose.ACT, keyId, position), detail)
  }
  const act: LogAct = {
    kind: input.kind,
    actor: input.actor,
    role: input.role ?? '',
    terminal: input.terminal ?? '',
    purpose: input.purpose ?? '',
    refused: input.refused ?? false,
    reasonCode: input.reasonCode ?? '',
    count: input.count ?? 0,
    fromPosition: input.fromPosition ?? 0,
    toPosition: input.toPosition ?? 0,
    note: input.note ?? '',
    approver: input.approver ?? '',
    period,
    sealedDetail,
    subjects: keyring === undefined ? [] : codes.map((code) => keyring.subjectToken(code)),
    ref: input.ref ?? EMPTY
  }
  return frameAndApply(g, { position, recordedAt: g.recordedAt, update: null, admin: null, act })
}

function createPeriodKey (g: GroupState, keyring: Keyring, keyId: Buffer): Buffer {
  const fresh = keyring.createPeriodKey(keyId)
  g.made.push(fresh.keyId)
  g.tx.put('keys', fresh.keyId, fresh.wrapped)
  return fresh.dataKey
}

/** Frame the entry after the head, then apply it to the overlay. */
function frameAndApply (g: GroupState, entry: LogEntry): { position: number, hash: Buffer } {
  // An update's entry is encoded straight into its frame (log-block.ts frameInPlace); the rest through protobufjs.
  const framed = encodeUpdateEntry(entry, FRAME_OVERHEAD, HASH_BYTES)
  const { frame, hash } = framed === undefined ? frameEntry(g.head.hash, encodeStored('LogEntry', entry)) : frameInPlace(g.head.hash, framed)
  g.frames.push(frame)
  g.head = { position: entry.position, hash }
  applyEntry(g.tx, entry, hash)
  return g.head
}

function planIdentity (g: GroupState, item: AppendItem, update: Update, u: IdentityUpdate, position: number, record: LogUpdate): void {
  const keyring = requireKeyring(g)
  const subject = keyring.subjectToken(u.juminhyoCode)
  const codeChange = u.changeReason === ChangeReason.JUMINHYO_CODE_HENKO
  // For 住民票コード変更 the record lives under the code being replaced (IdentityContext.current).
  const lookup = codeChange ? keyring.subjectToken(u.previousJuminhyoCode) : subject
  const found = readResident(g, lookup)
  const targetCodeTaken = codeChange && g.tx.read('subjects', subject) !== undefined
  const kojinBangoHolder = kojinHolder(g, u, subject, lookup)
  const decision: Decision<ResidentRecord> = decideIdentityUpdate(update, {
    current: found?.record,
    targetCodeTaken,
    kojinBangoHolder,
    municipalityCode: item.municipalityCode,
    today: g.today
  })
  record.kind = LogUpdateKind.IDENTITY
  if (!decision.ok) {
    sealUpdate(record, rejectionKey(g, found?.keyId), position, update)
    return reject(record, decision)
  }
  const key = freshKey(g)
  record.keyId = key.keyId
  const person = found?.person ?? viewPerson(g, 'fuhyo', subject) ?? newPerson()
  const next = decision.next
  const stored = storedResident(next)
  if (carriesUpdate(stored, update)) {
    // The record is the update plus what the server derives: sealing the update again would only
    // double the entry. openUpdate rebuilds the update from the record (docs/store-contract.md).
    if (stored.identity !== null && stored.identity !== undefined) stored.identity.previousJuminhyoCode = u.previousJuminhyoCode
  } else {
    sealUpdate(record, key, position, update)
  }
  record.status = ResultStatus.ACCEPTED
  record.effect = {
    subject,
    retiredSubject: decision.retiredCode === undefined ? EMPTY : keyring.subjectToken(decision.retiredCode),
    kojinToken: keyring.kojinToken(next.kojinBango),
    recordMunicipalityCode: next.municipalityCode,
    removed: next.status === 'removed',
    sealedRecord: seal(key.dataKey, sealAad(SealPurpose.RESIDENT, key.keyId, position), encodeStored('StoredResident', stored)),
    person,
    // SPEC §5.3: the view a reconciliation compares against, kept without a key (apply-entry.ts).
    contentTag: keyring.recordContentTag(next),
    searchKeys: keyring.recordSearchKeys(next)
  } satisfies LogEffect
}

function planFuhyo (g: GroupState, item: AppendItem, update: Update, position: number, record: LogUpdate): void {
  const keyring = requireKeyring(g)
  const u = update.fuhyo
  if (u === undefined || u === null) throw errors.KEN_ERR_STORE_INVALID_ITEM('update without body', { field: 'body' })
  const subject = keyring.subjectToken(u.juminhyoCode)
  const found = readFuhyo(g, subject)
  const decision: Decision<FuhyoRecord> = decideFuhyoUpdate(update, found?.record, { municipalityCode: item.municipalityCode, today: g.today })
  record.kind = LogUpdateKind.FUHYO
  if (!decision.ok) {
    sealUpdate(record, rejectionKey(g, found?.keyId), position, update)
    return reject(record, decision)
  }
  const key = freshKey(g)
  sealUpdate(record, key, position, update)
  const person = found?.person ?? viewPerson(g, 'current', subject) ?? newPerson()
  record.status = ResultStatus.ACCEPTED
  record.effect = {
    subject,
    retiredSubject: decision.retiredCode === undefined ? EMPTY : keyring.subjectToken(decision.retiredCode),
    kojinToken: EMPTY, // SPEC §2.2: the 附票 file never keeps 個人番号, not even as an index
    recordMunicipalityCode: '',
    removed: false,
    sealedRecord: seal(key.dataKey, sealAad(SealPurpose.FUHYO, key.keyId, position), encodeStored('StoredFuhyo', storedFuhyo(decision.next))),
    person,
    contentTag: EMPTY,
    searchKeys: [] // the terminal's 附票 search is not part of this index
  } satisfies LogEffect
}

function reject (record: LogUpdate, decision: { readonly code: string, readonly field?: string }): void {
  record.status = ResultStatus.REJECTED
  record.reasonCode = decision.code
  record.field = decision.field ?? ''
}

/**
 * True when the update can be rebuilt exactly from the stored record and the entry: every item of
 * the identity body and of the envelope that is not in the entry in clear. The domain builds the
 * record item by item from the update; this checks it rather than trusting it.
 */
function carriesUpdate (stored: StoredResident, update: Update): boolean {
  const a = stored.identity
  const b = update.identity
  if (a === undefined || a === null || b === undefined || b === null) return false
  for (const k of IDENTITY_ITEMS) if (a[k] !== b[k]) return false
  return stored.operatorId === update.operatorId && stored.terminalId === update.terminalId && stored.timestamp === update.timestamp &&
    stored.sequence === update.sequence && stored.stream === update.stream
}

const IDENTITY_ITEMS = ['juminhyoCode', 'changeReason', 'changeDate', 'nameKanji', 'nameGaijiCount', 'nameKana', 'birthDate', 'sex', 'address', 'addressGaijiCount',
  'kojinBango', 'oazaCode', 'gaijiFlag', 'nameGaijiSerial', 'addressGaijiSerial', 'kyuujiKanji', 'kyuujiGaijiCount', 'kyuujiKana', 'kyuujiGaijiSerial'] as const satisfies ReadonlyArray<keyof IdentityUpdate>

function sealUpdate (record: LogUpdate, key: ResidentKey, position: number, update: Update): void {
  record.keyId = key.keyId
  record.sealedUpdate = seal(key.dataKey, sealAad(SealPurpose.UPDATE, key.keyId, position), encodeStored('Update', update))
}

interface ResidentKey {
  readonly keyId: Uint8Array
  readonly dataKey: Buffer
}

/**
 * SPEC §2.5: every accepted record gets a key of its own (stored wrapped in this same group, durable
 * before the entry that uses it), so that each record can die when its own term ends while the
 * person's current record and younger history stay readable.
 */
function freshKey (g: GroupState): ResidentKey {
  const fresh = requireKeyring(g).createDataKey()
  g.made.push(fresh.keyId)
  g.tx.put('keys', fresh.keyId, fresh.wrapped)
  return { keyId: fresh.keyId, dataKey: fresh.dataKey }
}

/**
 * The key a rejected update is sealed under: that of the person's current record, which lives at
 * least as long as the rejection record must (≥ 7 years, SPEC §2.5), and dies with the person on a
 * physical deletion; for a person the file does not hold, the key of the month's acts.
 */
function rejectionKey (g: GroupState, currentKeyId: Uint8Array | undefined): ResidentKey {
  if (currentKeyId !== undefined) {
    const dataKey = usableKey(g, currentKeyId)
    if (dataKey !== undefined) return { keyId: currentKeyId, dataKey }
  }
  const keyId = periodKeyId(g.recordedAt.slice(0, 7))
  return { keyId, dataKey: usableKey(g, keyId) ?? createPeriodKey(g, requireKeyring(g), keyId) }
}

/** A new person's id: 16 random bytes that link the person's records for life (never personal data). */
function newPerson (): Buffer {
  return randomBytesFromPool(KEY_ID_BYTES)
}

function usableKey (g: GroupState, keyId: Uint8Array): Buffer | undefined {
  const keyring = requireKeyring(g)
  const cached = keyring.cached(keyId)
  if (cached !== undefined) return cached
  const wrapped = g.tx.read('keys', Buffer.from(keyId))
  return wrapped === undefined ? undefined : keyring.dataKey(keyId, wrapped)
}

function viewPerson (g: GroupState, space: 'current' | 'fuhyo', subject: Buffer): Uint8Array | undefined {
  const bytes = space === 'current' ? readCurrent(g.tx, subject)?.bytes : g.tx.read(space, subject)
  if (bytes === undefined) return undefined
  const person = space === 'current' ? decodeStored('ResidentView', bytes).person : decodeStored('FuhyoView', bytes).person
  return person.length > 0 ? person : undefined
}

/**
 * A current-view (本人確認情報) or 附票 record, decrypted; a record whose key was erased counts as
 * absent (shredded, SPEC §2.5).
 */
function readSealed<R> (g: GroupState, subject: Buffer, kind: 'resident' | 'fuhyo'): Sealed<R> | undefined {
  return openSealed<R>(g, kind === 'resident' ? readCurrent(g.tx, subject)?.bytes : g.tx.read('fuhyo', subject), kind)
}

function openSealed<R> (g: GroupState, bytes: Buffer | undefined, kind: 'resident' | 'fuhyo'): Sealed<R> | undefined {
  if (bytes === undefined) return undefined
  const view = kind === 'resident' ? decodeStored('ResidentView', bytes) : decodeStored('FuhyoView', bytes)
  const dataKey = usableKey(g, view.keyId)
  if (dataKey === undefined) return undefined
  const purpose = kind === 'resident' ? SealPurpose.RESIDENT : SealPurpose.FUHYO
  const plain = open(dataKey, sealAad(purpose, view.keyId, view.position), view.sealedRecord)
  const record = kind === 'resident' ? residentRecord(decodeStored('StoredResident', plain)) : fuhyoRecord(decodeStored('StoredFuhyo', plain))
  return { record: record as R, keyId: view.keyId, person: view.person.length > 0 ? view.person : undefined }
}

/** A record read from a view, with its key id and the person it belongs to. */
interface Sealed<R> {
  readonly record: R
  readonly keyId: Uint8Array
  readonly person: Uint8Array | undefined
}

function readResident (g: GroupState, subject: Buffer): Sealed<ResidentRecord> | undefined {
  return readSealed<ResidentRecord>(g, subject, 'resident')
}

function readFuhyo (g: GroupState, subject: Buffer): Sealed<FuhyoRecord> | undefined {
  return readSealed<FuhyoRecord>(g, subject, 'fuhyo')
}

/** IdentityContext.kojinBangoHolder: the 住民票コード holding the update's 個人番号, if any. */
function kojinHolder (g: GroupState, u: IdentityUpdate, subject: Buffer, lookup: Buffer): string | undefined {
  if (u.kojinBango === '') return undefined
  const holder = g.tx.read('kojin', requireKeyring(g).kojinToken(u.kojinBango))
  if (holder === undefined) return undefined
  // The index holds the holder's resident number (views v5, layout.ts residentNumber). The common case
  // (the person's own number) needs no decryption: the subjects' numbers are already in the overlay.
  if (sameNumber(holder, readCurrent(g.tx, subject)?.number)) return u.juminhyoCode
  if (sameNumber(holder, readCurrent(g.tx, lookup)?.number)) return u.previousJuminhyoCode
  // A holder whose key was erased is shredded: as if the number were free.
  return openSealed<ResidentRecord>(g, g.tx.read(CURRENT_SPACE, holder), 'resident')?.record.juminhyoCode
}

function sameNumber (a: Buffer, b: Buffer | undefined): boolean {
  return b !== undefined && a.equals(b)
}

function requireKeyring (g: GroupState): Keyring {
  if (g.keyring === undefined) throw errors.KEN_ERR_STORE_NO_APPLIANCE_KEY()
  return g.keyring
}
