/**
 * The key layout (docs/store-contract.md "Key layout"). Every space is a LevelDB sublevel named here;
 * keys are binary so that LevelDB's byte order is the order the store needs (positions big-endian).
 * Identifiers never appear in keys in clear: a 住民票コード or 個人番号 is keyed by its blind index
 * (keyring.ts), SPEC §4 "personal data at rest is encrypted".
 */
import type { Stream } from '../../../proto/src/types.ts'

/**
 * The primary spaces: the log, the wrapped data keys, the views' recorded head, every signed
 * checkpoint issued (SPEC §4 Merkle tree; docs/transparency-log.md), and the temporary area of 附票
 * requests (SPEC §2.2: a 個人番号 drawn for a person who moved abroad, never in the log nor in the
 * 附票 keyspace). Never dropped by rebuild.
 */
export const PRIMARY_SPACES = ['log', 'keys', 'meta', 'checkpoints', 'temp'] as const

/**
 * The derived views (SPEC §4): rebuild drops and replays exactly these.
 * - subjects: 住民票コード (subject) → resident number · ~current: 本人確認情報 by resident number
 *   (CURRENT_SPACE, below) · history: pre-change records · kojin: 個人番号 → resident number (views v5)
 * - counts: per municipality · dedup: (municipality, stream, 更新順番号) → first result
 * - lastseq: last 更新順番号 per (municipality, stream) · fuhyo: the 附票 file (its own keyspace, SPEC §2.2)
 * - due: the record keys whose retention term is running, by the day it began (SPEC §2.5)
 * - outbox: the national link's confirmed position (SPEC §4 "outbox position"), from national.forward acts
 * - rdigest: (municipality, subject) → content tag of each current resident (reconciliation, SPEC §5.3)
 * - search: 4情報 search index, search key ‖ resident number → nothing (views v5; search-keys.ts)
 * - actidx: acts by the person they concern and by correction case (act-index.ts; 提供状況 A4.5, 訂正 A4.6)
 */
export const VIEW_SPACES = ['subjects', '~current', 'history', 'kojin', 'counts', 'dedup', 'lastseq', 'fuhyo', 'due', 'outbox', 'rdigest', 'search', 'actidx'] as const

/**
 * The current records (ResidentView, ~60 % of the bytes a new resident adds to the views) are keyed by
 * a number that only grows — the position of the entry that first wrote the subject's record
 * ({@link residentNumber}) — and not by the subject, an HMAC (random), so that LevelDB writes them in
 * order and moves their tables down without rewriting them, as it does the log (version_set.cc
 * IsTrivialMove: one input table, no overlap in the next level). For that, no other key of the views
 * database may sort after a new record: a table holding the last keys of one space and the first of
 * the next would overlap every new table. Sublevel prefixes (`!name!`) compare bytewise, and `~` is the
 * highest byte abstract-level allows in a name (> 0x22, < 0x7f), so `!~current!` sorts after every
 * other space (tests/unit/store/layout-order.test.ts keeps it so). `tree` is growing per level only
 * (level ‖ index) and ~1/128 of a node per entry: it goes before.
 */
export const CURRENT_SPACE = '~current' as const

/**
 * The Merkle tree's stored subtrees (tree-nodes.ts): derived from the log like a view, rebuilt from
 * it when missing, but kept apart from the views (rebuild replays resident data, not this).
 */
export const TREE_SPACE = 'tree' as const

/**
 * Spaces of earlier views versions, emptied by a rebuild (recovery.ts) so that a migrated store keeps
 * no dead copy: `current` held the current records by subject up to views v3.
 */
export const RETIRED_SPACES = ['current'] as const

export type PrimarySpace = typeof PRIMARY_SPACES[number]
export type ViewSpace = typeof VIEW_SPACES[number]
export type RetiredSpace = typeof RETIRED_SPACES[number]
export type Space = PrimarySpace | ViewSpace | typeof TREE_SPACE | RetiredSpace

export const SPACES: readonly Space[] = [...PRIMARY_SPACES, ...VIEW_SPACES, TREE_SPACE, ...RETIRED_SPACES]

/**
 * The LevelDB databases of a LevelStore (level-store.ts), one per kind of key order: the log (only
 * growing keys, and nothing else), the wrapped data keys, and the views with their recorded head
 * (`meta`), the tree's subtrees and the signed checkpoints.
 */
export const DATABASES = ['log', 'keys', 'views'] as const
export type Database = typeof DATABASES[number]

/** The database a space lives in. */
export function databaseOf (space: Space): Database {
  // The log database holds the log alone: a second key range in it (checkpoints, once kept there)
  // makes every table span both ranges, so each new table overlaps all older ones and LevelDB
  // rewrites the whole log at every level instead of moving its tables down (version_set.cc
  // trivial move; bench/store-append.ts at 1 M: see docs/store-contract.md "Key layout").
  // Checkpoints go with the views, written after the log block they name (commit-group.ts).
  return space === 'log' ? 'log' : space === 'keys' || space === 'temp' ? 'keys' : 'views'
}

/** One write of an atomic batch; `value: null` deletes. */
export interface WriteOp<S = Space> {
  readonly space: S
  readonly key: Buffer
  readonly value: Buffer | null
}

/** meta/head: the last log entry the views reflect (position ‖ hash), written in every batch. */
export const META_HEAD = Buffer.from('head')

/** outbox/confirmed: the highest position the national side acknowledged (u64), SPEC §5.1. */
export const OUTBOX_CONFIRMED = Buffer.from('confirmed')

/** Bytes of a blind index (HMAC-SHA-256 truncated, keyring.ts) and of a resident key id. */
export const TOKEN_BYTES = 16
export const KEY_ID_BYTES = 16
export const HASH_BYTES = 32
/** A resident number (u64 BE, {@link residentNumber}). */
export const RESIDENT_NUMBER_BYTES = 8

/**
 * Write `value` as 8 bytes big-endian at buf[offset, +8). A safe non-negative integer goes as two
 * 32-bit halves — the same 8 bytes as writeBigUInt64BE, without a BigInt (a young object) per key;
 * anything else takes writeBigUInt64BE's path and its errors (issue 18).
 */
export function writeU64BE (buf: Buffer, value: number, offset = 0): void {
  if (Number.isSafeInteger(value) && value >= 0 && offset >= 0 && offset + 8 <= buf.length) {
    buf.writeUInt32BE(Math.floor(value / 0x100000000), offset)
    buf.writeUInt32BE(value >>> 0, offset + 4)
  } else {
    buf.writeBigUInt64BE(BigInt(value), offset)
  }
}

/** A position as 8 bytes big-endian, so LevelDB orders positions numerically. */
export function positionKey (position: number): Buffer {
  const key = Buffer.allocUnsafe(8)
  writeU64BE(key, position)
  return key
}

/**
 * The 8 bytes big-endian at key[offset, +8) as a number, rounded to the nearest double as
 * Number(readBigUInt64BE) rounds it (hi·2^32 is exact, so the one addition rounds once), without a
 * Buffer view and a BigInt per read; a key too short takes readBigUInt64BE's path and its error.
 */
export function readPosition (key: Uint8Array, offset = 0): number {
  if (!Number.isInteger(offset) || offset < 0 || offset + 8 > key.length) {
    return Number(Buffer.from(key.buffer, key.byteOffset, key.byteLength).readBigUInt64BE(offset))
  }
  const hi = (key[offset] as number) * 0x1000000 + ((key[offset + 1] as number) << 16 | (key[offset + 2] as number) << 8 | (key[offset + 3] as number))
  const lo = (key[offset + 4] as number) * 0x1000000 + ((key[offset + 5] as number) << 16 | (key[offset + 6] as number) << 8 | (key[offset + 7] as number))
  return hi * 0x100000000 + lo
}

/** dedup key: municipality (6 ASCII digits) ‖ stream (1 byte) ‖ 更新順番号 (8 bytes BE). */
export function dedupKey (municipalityCode: string, stream: Stream, sequence: number): Buffer {
  const key = Buffer.allocUnsafe(15)
  key.write(municipalityCode, 0, 6, 'latin1')
  key[6] = stream
  writeU64BE(key, sequence, 7)
  return key
}

/** lastseq key: municipality (6) ‖ stream (1). */
export function streamKey (municipalityCode: string, stream: Stream): Buffer {
  const key = Buffer.allocUnsafe(7)
  key.write(municipalityCode, 0, 6, 'latin1')
  key[6] = stream
  return key
}

/** counts key: municipality (6 ASCII digits). */
export function countsKey (municipalityCode: string): Buffer {
  return Buffer.from(municipalityCode, 'latin1')
}

/** rdigest key: municipality (6 ASCII digits) ‖ subject: one municipality's residents in one range. */
export function rdigestKey (municipalityCode: string, subject: Uint8Array): Buffer {
  const key = Buffer.allocUnsafe(6 + subject.length)
  key.write(municipalityCode, 0, 6, 'latin1')
  key.set(subject, 6)
  return key
}

/** history key: subject token ‖ position of the record (8 bytes BE): one person's records in order. */
export function historyKey (subject: Uint8Array, position: number): Buffer {
  const key = Buffer.allocUnsafe(subject.length + 8)
  key.set(subject, 0)
  writeU64BE(key, position, subject.length)
  return key
}

/**
 * search key: search key (16, or 24 for `N ‖ B'`: search-keys.ts) ‖ resident number (8,
 * {@link residentNumber}) since views v5: the residents under one key, in the order they were first
 * registered. 8 bytes fewer per key than the subject (16) it held up to v4, at random places
 * LevelDB's compaction rewrites at every level, and a hit reads `~current` under the number
 * directly, without the `subjects` step (docs/store-contract.md).
 */
export function searchIndexKey (token: Uint8Array, number: Uint8Array): Buffer {
  // The bytes of Buffer.concat([token, number]), without its array and its copy loop per key (issue 18).
  const key = Buffer.allocUnsafe(token.length + number.length)
  key.set(token, 0)
  key.set(number, token.length)
  return key
}

/** The exclusive upper bound of every key that starts with `prefix`. */
export function prefixEnd (prefix: Uint8Array): Buffer {
  const end = Buffer.from(prefix)
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i] = (end[i] ?? 0) + 1
      return end.subarray(0, i + 1)
    }
  }
  throw new RangeError('prefix has no upper bound')
}

/**
 * A resident's number (the `~current` key; the `subjects` and `kojin` values and the search keys' tail
 * since views v5): the position of the log entry that
 * first wrote the subject's current record, 8 bytes BE. Deterministic under replay and rebuild, so no
 * counter is kept; an update of the same subject keeps it, a new 住民票コード gets a new one.
 */
export const residentNumber = positionKey

/** A u64 value (lastseq) as 8 bytes BE. */
export const encodeU64 = positionKey
export const decodeU64 = readPosition

/** What a `due` row's key will shred when its term ends (SPEC §2.5). */
export const DueKind = { HISTORY: 0x48, REMOVED: 0x52, FUHYO: 0x46 } as const // 'H', 'R', 'F'
export type DueKind = typeof DueKind[keyof typeof DueKind]

/** due/<day of the event YYYYMMDD (8 ASCII)><kind (1)><key id (16)>: ordered by the day the term began. */
export function dueKey (eventDate: string, kind: DueKind, keyId: Uint8Array): Buffer {
  const key = Buffer.allocUnsafe(8 + 1 + keyId.length)
  key.write(eventDate.slice(0, 4) + eventDate.slice(5, 7) + eventDate.slice(8, 10), 0, 'latin1')
  key[8] = kind
  key.set(keyId, 9)
  return key
}

/** The parts of a `due` row's key. */
export function parseDueKey (key: Uint8Array): { eventDate: string, kind: DueKind, keyId: Buffer } {
  const b = Buffer.from(key.buffer, key.byteOffset, key.byteLength)
  const d = b.toString('latin1', 0, 8)
  return { eventDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`, kind: b[8] as DueKind, keyId: Buffer.from(b.subarray(9)) }
}
