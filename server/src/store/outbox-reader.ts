/**
 * The outbox's read (SPEC §5.1, 住基法30条の7): the forward of each ACCEPTED update in log order, made
 * from the log itself — the log is the durable outbox, so nothing is copied to a second queue. A
 * 本人確認情報 forward carries the 8 items + 異動事由/異動年月日 of SPEC §2.1 (and the supporting items
 * NationalForward names); a 附票 forward carries the 18 items of SPEC §2.2, whose message has no field
 * for a 個人番号. Rejections, acts and administrative entries are scanned past, never forwarded.
 */
import type { NationalForward, NationalFuhyoForward, OutboxItem } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { ForwardRecord, Store, StoreLogger } from './store.ts'
import { isForwardFailure, type ForwardItems, type ForwardOutcome } from './forward-open.ts'
import { EncodedIdentity, PassedForward } from './forward-items.ts'

/** What one read found. */
export interface OutboxSlice {
  readonly items: OutboxItem[]
  /** Every entry up to here was looked at. */
  readonly scannedTo: number
  /** Position of the last forward in `items` (or the `previous` passed in when there is none). */
  readonly lastForward: number
}

/** Entries scanned per read at most, so that one read never walks millions of non-forwards at once. */
export const MAX_SCAN = 65_536
/**
 * Positions scanned per forward asked for: a read ends near where its forwards end. The log iterator
 * fetches every block up to the read's end ahead of use (level-store.ts), so a scan to MAX_SCAN
 * copied megabytes per read that the next read fetched again (issue 18).
 */
const SCAN_PER_ITEM = 2

/**
 * Read forwards from `from` (inclusive) to the head, at most `maxItems` of them.
 * `previous` is the position of the forward before `from` (the national side's gap check).
 */
export async function readForwards (store: Store, from: number, maxItems: number, previous: number, logger: StoreLogger): Promise<OutboxSlice> {
  const head = store.head().position
  const items: OutboxItem[] = []
  let scannedTo = from - 1
  let lastForward = previous
  if (from > head) return { items, scannedTo, lastForward }
  const to = Math.min(head, from + Math.min(MAX_SCAN, SCAN_PER_ITEM * maxItems + 64) - 1)
  // Scan first, then open: the data keys of the whole slice come in one read instead of one each. A
  // read of the store waits for the commit group in flight, so during a load one read per forward
  // held the link to a forward per group (19/s at 5.1 M, issue 18).
  const candidates: ForwardRecord[] = []
  // Only what a forward needs is read of each entry (forward-entry.ts): its update when it is an
  // ACCEPTED 本人確認情報 or 附票 one, else null.
  scan: for await (const records of store.forwardEntries(from, to)) {
    for (const record of records) {
      scannedTo = record.position
      if (record.entry.update === null) continue
      candidates.push(record)
      if (candidates.length >= maxItems) break scan
    }
  }
  if (candidates.length < maxItems) scannedTo = Math.max(scannedTo, to)
  const keys = await store.loadDataKeys(candidates)
  // Entries whose key was not loaded (not found, or erased): openForward reads it or says why, one
  // at a time as before. Then the rest in one call (store.ts openForwards), after the last await here,
  // so that a key erased during those reads is refused too.
  const late = new Array<ForwardOutcome>(candidates.length)
  for (let i = 0; i < candidates.length; i++) {
    if (keys[i] === undefined) late[i] = await openOne(store, candidates[i] as ForwardRecord)
  }
  const opened = store.openForwards(candidates, keys)
  for (let i = 0; i < candidates.length; i++) {
    const record = candidates[i] as ForwardRecord
    const outcome = keys[i] === undefined ? late[i] : opened[i] as ForwardOutcome
    if (isForwardFailure(outcome)) {
      // A crypto-shredded resident (SPEC §2.5) cannot be forwarded any more; it is passed, and said so.
      if (!isKenError(outcome.error, 'KEN_ERR_STORE_KEY_ERASED')) throw outcome.error
      logger.warn({ event: 'store.outbox.erased', position: record.position }, 'forward skipped: its data key was erased')
      continue
    }
    if (outcome === undefined) continue
    const item = forwardOf(record, outcome, lastForward)
    if (item === undefined) continue
    items.push(item)
    lastForward = record.position
  }
  return { items, scannedTo, lastForward }
}

/** store.ts openForward without a loaded key, what it throws given back (forward-open.ts ForwardOutcome). */
async function openOne (store: Store, record: ForwardRecord): Promise<ForwardOutcome> {
  try {
    return await store.openForward(record, undefined)
  } catch (error) {
    return { error }
  }
}

function forwardOf (record: ForwardRecord, update: ForwardItems, previous: number): OutboxItem | undefined {
  const u = record.entry.update
  if (u === null) return undefined
  const recordedAt = record.entry.recordedAt
  // Object literals written out field by field: a spread of the envelope made V8 build these in
  // dictionary mode, and the forward then cost half again as much to build and to encode (issue 18).
  // Every field is set (an own property), as protobufjs then encodes each even when it holds its
  // default: `update.identity` may be a decoded message whose defaults are on its prototype, and
  // encoded itself it would leave those out.
  // 地方公共団体コード: its first two digits are the 都道府県コード.
  const prefectureCode = u.municipalityCode.slice(0, 2)
  // The items as read from the record: bytes the frame copies (forward-items.ts; issue 18).
  if (update.identity instanceof EncodedIdentity) {
    return { recordedAt, identity: new PassedForward(record.position, record.hash, prefectureCode, u.municipalityCode, previous, update.identity) }
  }
  if (update.identity !== undefined && update.identity !== null) {
    const i = update.identity
    const identity: NationalForward = {
      logPosition: record.position,
      entryHash: record.hash,
      prefectureCode,
      municipalityCode: u.municipalityCode,
      previousPosition: previous,
      juminhyoCode: i.juminhyoCode,
      nameKanji: i.nameKanji,
      nameKana: i.nameKana,
      birthDate: i.birthDate,
      sex: i.sex,
      address: i.address,
      kojinBango: i.kojinBango,
      changeReason: i.changeReason,
      changeDate: i.changeDate,
      kyuujiKanji: i.kyuujiKanji,
      kyuujiKana: i.kyuujiKana,
      previousJuminhyoCode: i.previousJuminhyoCode
    }
    return { recordedAt, identity }
  }
  if (update.fuhyo !== undefined && update.fuhyo !== null) {
    const fuhyo: NationalFuhyoForward = {
      logPosition: record.position,
      entryHash: record.hash,
      prefectureCode,
      municipalityCode: u.municipalityCode,
      previousPosition: previous,
      fuhyo: update.fuhyo
    }
    return { recordedAt, fuhyo }
  }
  return undefined
}
