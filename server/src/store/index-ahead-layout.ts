/**
 * What the store's thread asks the index worker (index-worker.ts) and how the answer is laid out.
 * A request is a flat array of strings, AHEAD_FIELDS per item:
 *     住民票コード, previous 住民票コード or '', 個人番号 or '', '1' for an 本人確認情報 item or '' (附票),
 *     ふりがな, 漢字氏名, 生年月日, 性別, 住所, 異動事由, 異動年月日 (numbers in decimal)
 * The answer is the tokens (16 bytes each) of every item in order — code, previous (when given),
 * 個人番号 (when given), then for an 本人確認情報 item its search tokens and its content tag (the blind
 * tag of the reconciliation digest of its items, keyring.ts contentTag) — followed by one byte per
 * 本人確認情報 item: which search tokens it has (search-keys.ts SearchShape; 1–3 tokens, from which
 * searchKeysOf makes its keys).
 */
export const AHEAD_FIELDS = 11

/** What the index worker is started with: the blind-index secrets (index key ‖ search key) and where the sha256-batch addon is built. */
export interface IndexWorkerData {
  readonly secrets: Uint8Array
  readonly sha256BatchFile: string
}

export interface AheadRequest {
  readonly id: number
  readonly strings: readonly string[]
}

export interface AheadAnswer {
  readonly id: number
  readonly tokens: Uint8Array
}
