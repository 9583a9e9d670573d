/**
 * Making a resident data key (SPEC §2.5): a key id that grows ({@link writeKeyId}) and a random data
 * key (256 bits), the key wrapped with AES-256-GCM under the key-wrap key, its additional data naming
 * the key id. Keys are made in batches laid out in one buffer, so that a worker thread can hand many
 * over at once.
 */
import { randomBytesFromPool, randomIntoFromPool } from './random-pool.ts'
import { KEY_ID_BYTES } from './layout.ts'
import { NONCE_BYTES, seal, sealAad, sealAadLength, sealBatch, SealPurpose, SEAL_OVERHEAD, writeSealAad } from './sealing.ts'
import { AES_GCM_SPAN_FIELDS } from './aes-gcm-batch.ts'

export const DATA_KEY_BYTES = 32
export const WRAPPED_KEY_BYTES = DATA_KEY_BYTES + SEAL_OVERHEAD
/** One key in a batch buffer: key id ‖ data key ‖ wrapped data key. */
export const DATA_KEY_RECORD_BYTES = KEY_ID_BYTES + DATA_KEY_BYTES + WRAPPED_KEY_BYTES

/** A freshly made data key, with what goes into the `keys` space. */
export interface NewDataKey {
  readonly keyId: Buffer
  readonly dataKey: Buffer
  readonly wrapped: Buffer
}

/** The last stamp this thread gave a key id: milliseconds, and the ids given in that millisecond. */
let stampMs = 0
let stampSeq = 0

/**
 * A resident key id at out[at, +16): a stamp that grows — the time it is made (milliseconds since the
 * epoch, 6 bytes big-endian) ‖ its rank among this thread's ids of that millisecond (2 bytes; past 65,535,
 * the next millisecond's) — ‖ 8 random bytes. The `keys` database holds one wrapped key under each id: ids
 * in the order they are handed out let LevelDB place its flushed tables down its levels (db_impl.cc
 * WriteLevel0Table, version_set.cc PickLevelForMemTableOutput) and move them further without rewriting
 * them (IsTrivialMove: no overlap in the next level), as it does the log's, where random ids were
 * rewritten at every level (bench:store at 1 M: 434 B per update written in tables for 88 B kept; 84 B,
 * none compacted, with these ids: issue 18). The rank keeps a batch's ids (key-factory.ts, one
 * millisecond) in order, so a flush that splits a batch leaves no overlap. The id names a key, never a
 * person, and the log's entry that first uses it already tells its time; ids of two threads differ by
 * their 64 random bits. Period key ids ('P' ‖ YYYY-MM ‖ zeros, keyring.ts periodKeyId) start with 0x50,
 * these with 0x00 (until the year 10889): they never meet; erasure.ts finds period keys by their 'P'.
 * Period keys and `temp` slots sort after every new id, so the one table that holds them and the newest
 * ids overlaps each new table and is rewritten with it; the others move down whole.
 */
export function writeKeyId (out: Buffer, at: number, now: number = Date.now()): void {
  if (now > stampMs) {
    stampMs = now
    stampSeq = 0
  } else if (++stampSeq > 0xffff) {
    stampMs++
    stampSeq = 0
  }
  out.writeUIntBE(stampMs, at, 6)
  out.writeUInt16BE(stampSeq, at + 6)
  randomIntoFromPool(out, at + 8, KEY_ID_BYTES - 8)
}

function newKeyId (): Buffer {
  const id = Buffer.allocUnsafe(KEY_ID_BYTES)
  writeKeyId(id, 0)
  return id
}

/** One new data key (under a new resident key id unless one is given: a period key's id is its name). */
export function makeDataKey (wrapKey: Uint8Array, keyId: Buffer = newKeyId()): NewDataKey {
  const dataKey = randomBytesFromPool(DATA_KEY_BYTES)
  return { keyId, dataKey, wrapped: seal(wrapKey, sealAad(SealPurpose.DATA_KEY, keyId, 0), dataKey) }
}

/**
 * `count` new data keys, as records of {@link DATA_KEY_RECORD_BYTES} in one buffer: key id and data
 * key drawn straight into their record, and every key wrapped in one sealing call (issue 18: was three
 * buffers, a cipher object and three copies per key).
 */
export function makeDataKeys (wrapKey: Uint8Array, count: number): Buffer {
  if (wrapKey.length !== DATA_KEY_BYTES) throw Object.assign(new RangeError('Invalid key length'), { code: 'ERR_CRYPTO_INVALID_KEYLEN' })
  const out = Buffer.allocUnsafeSlow(count * DATA_KEY_RECORD_BYTES)
  const aadBytes = sealAadLength(KEY_ID_BYTES)
  const aads = Buffer.allocUnsafe(count * aadBytes)
  const spans = new Int32Array(count * AES_GCM_SPAN_FIELDS)
  const now = Date.now()
  for (let i = 0; i < count; i++) {
    const at = i * DATA_KEY_RECORD_BYTES
    const wrapped = at + KEY_ID_BYTES + DATA_KEY_BYTES
    // key id ‖ data key, then the wrapped key's nonce (sealing.ts draws it from the same pool).
    writeKeyId(out, at, now)
    randomIntoFromPool(out, at + KEY_ID_BYTES, DATA_KEY_BYTES)
    randomIntoFromPool(out, wrapped, NONCE_BYTES)
    writeSealAad(aads, i * aadBytes, SealPurpose.DATA_KEY, out.subarray(at, at + KEY_ID_BYTES), 0)
    spans.set([0, i * aadBytes, aadBytes, at + KEY_ID_BYTES, DATA_KEY_BYTES, wrapped], i * AES_GCM_SPAN_FIELDS)
  }
  sealBatch(wrapKey, aads, out, out, spans, count)
  return out
}

/**
 * Take key `i` of a batch made by {@link makeDataKeys}: its data key is copied into a memory of its
 * own ({@link ownKey}) and wiped in the batch; its key id and wrapped key are views of the batch (not
 * secret, never written to), so taking a key copies 32 bytes instead of three fields (issue 18).
 */
export function takeDataKeyAt (batch: Uint8Array, i: number): NewDataKey {
  const at = i * DATA_KEY_RECORD_BYTES
  const b = Buffer.from(batch.buffer, batch.byteOffset, batch.byteLength)
  return {
    keyId: b.subarray(at, at + KEY_ID_BYTES),
    dataKey: ownKey(b.subarray(at + KEY_ID_BYTES, at + KEY_ID_BYTES + DATA_KEY_BYTES)),
    wrapped: b.subarray(at + KEY_ID_BYTES + DATA_KEY_BYTES, at + DATA_KEY_RECORD_BYTES)
  }
}

/**
 * A copy of `key` in an ArrayBuffer of its own, and `key` wiped. Not a slice of Buffer's shared pool,
 * which a cached key would keep alive whole (keyring.ts); nor a small Uint8Array of V8's heap, which
 * V8 moves out of its heap (a copy, the heap's copy left unwiped) the first time crypto reads it.
 */
export function ownKey (key: Buffer): Buffer {
  const own = Buffer.from(new ArrayBuffer(key.length))
  key.copy(own)
  key.fill(0)
  return own
}
