/**
 * The content digest of a resident for reconciliation (整合性確認, SPEC §5.3), shared by the store and
 * by every CS (docs/reconciliation.md is the vendor's specification; the test vectors there are
 * checked against this code). The items are those a CS sends for the comparison — 住民票コード, 氏名,
 * 生年月日, 性別, 住所, 個人番号, 異動事由, 異動年月日 (requirements C2, 001 §II-5 提供先2 ③) — with
 * ふりがな氏名 beside 漢字氏名.
 */
import { hash } from 'node:crypto'

/** The items, in digest order; their names are what a difference reports (never a value). */
export const DIGEST_ITEMS = ['juminhyo_code', 'name_kanji', 'name_kana', 'birth_date', 'sex', 'address', 'kojin_bango', 'change_reason', 'change_date'] as const
export type DigestItem = typeof DIGEST_ITEMS[number]

/** Bytes of one item digest in ReconcileRecord.item_digests. */
export const ITEM_DIGEST_BYTES = 8

/** What the digest reads of a record (IdentityUpdate and ResidentRecord both have these). */
export interface DigestInput {
  readonly juminhyoCode: string
  readonly nameKanji: string
  readonly nameKana: string
  readonly birthDate: string
  readonly sex: number
  readonly address: string
  readonly kojinBango: string
  readonly changeReason: number
  readonly changeDate: string
}

const CONTENT_LABEL = Buffer.from('ken/v1 reconcile-digest\n', 'latin1')
const ITEM_LABEL = Buffer.from('ken/v1 reconcile-item\n', 'latin1')

function valueOf (r: DigestInput, item: DigestItem): string {
  switch (item) {
    case 'juminhyo_code': return r.juminhyoCode
    case 'name_kanji': return r.nameKanji
    case 'name_kana': return r.nameKana
    case 'birth_date': return r.birthDate
    case 'sex': return String(r.sex)
    case 'address': return r.address
    case 'kojin_bango': return r.kojinBango
    case 'change_reason': return String(r.changeReason)
    case 'change_date': return r.changeDate
  }
}

/** One item's canonical encoding: name (ASCII) ‖ 0x1F ‖ value length (u32 BE) ‖ value (UTF-8 as held, not normalised). */
function encodeItem (item: DigestItem, value: string): Buffer {
  const v = Buffer.from(value, 'utf8')
  const out = Buffer.allocUnsafe(item.length + 5 + v.length)
  out.write(item, 0, 'latin1')
  out[item.length] = 0x1f
  out.writeUInt32BE(v.length, item.length + 1)
  v.copy(out, item.length + 5)
  return out
}

/**
 * SHA-256(label ‖ every item's encoding in DIGEST_ITEMS order): ReconcileRecord.content_digest. The
 * store computes it for every accepted update (the index worker, index-worker.ts, or planner.ts), so
 * it is written into one buffer.
 */
export function contentDigest (r: DigestInput): Buffer {
  const values = DIGEST_ITEMS.map((item) => valueOf(r, item))
  let size = CONTENT_LABEL.length
  for (let i = 0; i < values.length; i++) size += (DIGEST_ITEMS[i]?.length ?? 0) + 5 + Buffer.byteLength(values[i] ?? '', 'utf8')
  const out = Buffer.allocUnsafe(size)
  let at = CONTENT_LABEL.copy(out, 0)
  for (let i = 0; i < values.length; i++) {
    at += out.write(DIGEST_ITEMS[i] ?? '', at, 'latin1')
    out[at] = 0x1f
    const length = out.write(values[i] ?? '', at + 5, 'utf8')
    out.writeUInt32BE(length, at + 1)
    at += 5 + length
  }
  // A Buffer digest would be an ArrayBuffer of its own (a malloc, and work for V8's ArrayBuffer
  // sweeper); the binary string copied into a slice of Buffer's pool is the same 32 bytes (issue 18).
  return Buffer.from(hash('sha256', out, 'binary'), 'latin1')
}

/**
 * The first 8 bytes of SHA-256(label ‖ 住民票コード ‖ item encoding) per item, concatenated in
 * DIGEST_ITEMS order: ReconcileRecord.item_digests. The code salts each item, so equal values of two
 * residents do not give equal digests.
 */
export function itemDigests (r: DigestInput): Buffer {
  const out = Buffer.allocUnsafe(DIGEST_ITEMS.length * ITEM_DIGEST_BYTES)
  const code = Buffer.from(r.juminhyoCode, 'latin1')
  DIGEST_ITEMS.forEach((item, i) => {
    hash('sha256', Buffer.concat([ITEM_LABEL, code, encodeItem(item, valueOf(r, item))]), 'buffer').copy(out, i * ITEM_DIGEST_BYTES, 0, ITEM_DIGEST_BYTES)
  })
  return out
}

/** The names of the items whose digests differ (both arguments from {@link itemDigests}). */
export function differingItems (ours: Uint8Array, theirs: Uint8Array): DigestItem[] {
  if (theirs.length !== ours.length) return []
  const out: DigestItem[] = []
  DIGEST_ITEMS.forEach((item, i) => {
    const a = Buffer.from(ours.buffer, ours.byteOffset + i * ITEM_DIGEST_BYTES, ITEM_DIGEST_BYTES)
    const b = Buffer.from(theirs.buffer, theirs.byteOffset + i * ITEM_DIGEST_BYTES, ITEM_DIGEST_BYTES)
    if (!a.equals(b)) out.push(item)
  })
  return out
}
