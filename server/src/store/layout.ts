/**
 * The key layout (docs/store-contract.md "Key layout"). Every space is a LevelDB sublevel named here;
 * keys are binary so that LevelDB's byte order is the order the store needs (positions big-endian).
 * Identifiers never appear in keys in clear: a 住民票コード or 個人番号 is keyed by its blind index
 * (keyring.ts), SPEC §4 "personal data at rest is encrypted".
 */
import type { Stream } from '../../../proto/src/types.ts'

/** The primary spaces: the log, the wrapped data keys and the views' recorded head. Never dropped by rebuild. */
export const PRIMARY_SPACES = ['log', 'keys', 'meta'] as const

/**
 * The derived views (SPEC §4): rebuild drops and replays exactly these.
 * - current: 本人確認情報 by 住民票コード · history: pre-change records · kojin: 個人番号 → 住民票コード
 * - counts: per municipality · dedup: (municipality, stream, 更新順番号) → first result
 * - lastseq: last 更新順番号 per (municipality, stream) · fuhyo: the 附票 file (its own keyspace, SPEC §2.2)
 * - search: 4情報 search index, search key ‖ subject → nothing (search-keys.ts; blind indexes only)
 */
export const VIEW_SPACES = ['current', 'history', 'kojin', 'counts', 'dedup', 'lastseq', 'fuhyo', 'search'] as const

export type PrimarySpace = typeof PRIMARY_SPACES[number]
export type ViewSpace = typeof VIEW_SPACES[number]
export type Space = PrimarySpace | ViewSpace

export const SPACES: readonly Space[] = [...PRIMARY_SPACES, ...VIEW_SPACES]

/**
 * The LevelDB databases of a LevelStore (level-store.ts), one per kind of key order: the log (only
 * growing keys), the wrapped data keys, and the views with their recorded head (`meta`).
 */
export const DATABASES = ['log', 'keys', 'views'] as const
export type Database = typeof DATABASES[number]

/** The database a space lives in. */
export function databaseOf (space: Space): Database {
  return space === 'log' ? 'log' : space === 'keys' ? 'keys' : 'views'
}

/** One write of an atomic batch; `value: null` deletes. */
export interface WriteOp {
  readonly space: Space
  readonly key: Buffer
  readonly value: Buffer | null
}

/** meta/head: the last log entry the views reflect (position ‖ hash), written in every batch. */
export const META_HEAD = Buffer.from('head')

/** Bytes of a blind index (HMAC-SHA-256 truncated, keyring.ts) and of a resident key id. */
export const TOKEN_BYTES = 16
export const KEY_ID_BYTES = 16
export const HASH_BYTES = 32

/** A position as 8 bytes big-endian, so LevelDB orders positions numerically. */
export function positionKey (position: number): Buffer {
  const key = Buffer.allocUnsafe(8)
  key.writeBigUInt64BE(BigInt(position))
  return key
}

export function readPosition (key: Uint8Array, offset = 0): number {
  return Number(Buffer.from(key.buffer, key.byteOffset, key.byteLength).readBigUInt64BE(offset))
}

/** dedup key: municipality (6 ASCII digits) ‖ stream (1 byte) ‖ 更新順番号 (8 bytes BE). */
export function dedupKey (municipalityCode: string, stream: Stream, sequence: number): Buffer {
  const key = Buffer.allocUnsafe(15)
  key.write(municipalityCode, 0, 6, 'latin1')
  key[6] = stream
  key.writeBigUInt64BE(BigInt(sequence), 7)
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

/** history key: subject token ‖ position of the record (8 bytes BE): one person's records in order. */
export function historyKey (subject: Uint8Array, position: number): Buffer {
  const key = Buffer.allocUnsafe(subject.length + 8)
  key.set(subject, 0)
  key.writeBigUInt64BE(BigInt(position), subject.length)
  return key
}

/** search key: search key token (16) ‖ subject (16): the residents under one key, in subject order. */
export function searchIndexKey (token: Uint8Array, subject: Uint8Array): Buffer {
  return Buffer.concat([token, subject])
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

/** A u64 value (lastseq) as 8 bytes BE. */
export const encodeU64 = positionKey
export const decodeU64 = readPosition
