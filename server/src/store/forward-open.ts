/**
 * The sealed values of an outbox read opened in one native call (store.ts openForwards; issue 18):
 * store.ts openForward opened one value a call — its additional data, its plaintext buffer, a cipher
 * context and a promise per forward, some 10 % of the store main thread's work per forward. Each
 * value opens here as openForward opens it (the same key, additional data and purpose, sealing.ts),
 * and each outcome is openForward's: the items, undefined for an entry that keeps no update, or the
 * error openForward throws, given back, so that the reader meets each where the log has it.
 */
import { LogUpdateKind, type FuhyoUpdate } from '../../../proto/src/types.ts'
import { decodeStored } from './codec.ts'
import type { ForwardIdentity, ForwardRecord, ForwardUpdate } from './forward-entry.ts'
import { EncodedIdentity, writeForwardIdentity } from './forward-items.ts'
import { OpenBatch, SealPurpose } from './sealing.ts'
import { ProtoWriter } from './proto-writer.ts'
import { errors } from './errors.ts'

/**
 * What a forward carries of an entry's update (store.ts openForward): the 本人確認情報 items encoded
 * (forward-items.ts) when read from the record, decoded when read from a kept Update.
 */
export interface ForwardItems {
  readonly identity: EncodedIdentity | ForwardIdentity | null
  readonly fuhyo: FuhyoUpdate | null
}

/** What openForward throws for an entry, given back instead (KEN_ERR_STORE_KEY_ERASED, _DECRYPT, _CORRUPT…). */
export interface ForwardFailure {
  readonly error: unknown
}

/** An entry opened: its items, undefined when it keeps no update, or the error openForward throws. */
export type ForwardOutcome = ForwardItems | undefined | ForwardFailure

export function isForwardFailure (outcome: ForwardOutcome): outcome is ForwardFailure {
  return outcome !== undefined && 'error' in outcome
}

/**
 * The outcome of each record whose data key `keys[i]` is given; null for the others (left to
 * openForward, which reads the key or says why not). A key erased since it was loaded (`isErased`,
 * keyring.ts) is refused as openForward refuses it. Synchronous, so no erasure falls between the
 * check and the use.
 */
export function openForwardBatch (records: readonly ForwardRecord[], keys: ReadonlyArray<Buffer | undefined>, isErased: (keyId: Uint8Array) => boolean): Array<ForwardOutcome | null> {
  const outcomes = new Array<ForwardOutcome | null>(records.length).fill(null)
  let bytes = 0
  let longestId = 0
  let count = 0
  for (let i = 0; i < records.length; i++) {
    const u = (records[i] as ForwardRecord).entry.update
    const sealed = u === null || keys[i] === undefined ? undefined : sealedOf(u)
    if (u === null || sealed === undefined) continue
    bytes += sealed.length
    longestId = Math.max(longestId, u.keyId.length)
    count++
  }
  const batch = new OpenBatch(count, bytes, longestId)
  // Index in the batch of each record's value, -1 where it has none there.
  const at = new Int32Array(records.length).fill(-1)
  for (let i = 0; i < records.length; i++) {
    const key = keys[i]
    if (key === undefined) continue
    const record = records[i] as ForwardRecord
    const u = record.entry.update
    if (u === null) {
      outcomes[i] = undefined
      continue
    }
    // A key loaded before an erasure was wiped with it (keyring.ts forget): refused as openForward refuses it.
    if (isErased(u.keyId)) {
      outcomes[i] = { error: errors.KEN_ERR_STORE_KEY_ERASED() }
      continue
    }
    const sealed = sealedOf(u)
    if (sealed === undefined) {
      outcomes[i] = undefined
      continue
    }
    const index = batch.add(key, u.sealedUpdate.length > 0 ? SealPurpose.UPDATE : SealPurpose.RESIDENT, u.keyId, record.position, sealed)
    if (index < 0) outcomes[i] = { error: errors.KEN_ERR_STORE_DECRYPT('sealed value too short') }
    else at[i] = index
  }
  batch.open()
  // The records' 本人確認情報 items are written into one buffer for the whole read (forward-items.ts),
  // copied out of the batch's memory before its wipe: each record's lie at [from, to), from -1: none.
  items.reset()
  const from = new Int32Array(records.length).fill(-1)
  const to = new Int32Array(records.length)
  try {
    for (let i = 0; i < records.length; i++) {
      const index = at[i] as number
      if (index < 0) continue
      const plain = batch.plaintext(index)
      if (plain === undefined) {
        outcomes[i] = { error: errors.KEN_ERR_STORE_DECRYPT() }
        continue
      }
      const u = (records[i] as ForwardRecord).entry.update as ForwardUpdate
      try {
        if (u.sealedUpdate.length > 0) {
          outcomes[i] = updateItems(plain)
          continue
        }
        const start = items.length
        if (writeForwardIdentity(plain, items)) {
          from[i] = start
          to[i] = items.length
        } else {
          outcomes[i] = { identity: null, fuhyo: null }
        }
      } catch (error) {
        outcomes[i] = { error }
      }
    }
    if (items.length > 0) {
      const bytes = items.finish()
      for (let i = 0; i < records.length; i++) {
        if (from[i] as number >= 0) outcomes[i] = { identity: new EncodedIdentity(bytes, from[i] as number, to[i] as number), fuhyo: null }
      }
    }
  } finally {
    batch.wipe()
    items.wipe()
  }
  return outcomes
}

/** Where a read's 本人確認情報 items are written; grows to the largest read and stays (wiped after each). */
const items = new ProtoWriter()

/**
 * The sealed value openForward opens: the update where the entry keeps it, else an accepted
 * 本人確認情報 update's record (planner.ts carriesUpdate keeps the update once, inside it); undefined: none.
 */
function sealedOf (u: ForwardUpdate): Buffer | undefined {
  if (u.sealedUpdate.length > 0) return u.sealedUpdate
  return u.kind === LogUpdateKind.IDENTITY ? u.sealedRecord : undefined
}

/**
 * The items of an opened Update (the entry keeps its update: a 附票, or a 本人確認情報 update kept apart
 * from its record), decoded whole (decodeStored), as it is forwarded whole.
 */
export function updateItems (plain: Buffer): ForwardItems {
  // A copy: protobufjs's bytes fields would be views of the batch's memory, wiped after.
  const update = decodeStored('Update', Buffer.from(plain))
  return { identity: update.identity ?? null, fuhyo: update.fuhyo ?? null }
}
