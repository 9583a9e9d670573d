/**
 * What the store's thread asks the index worker (index-worker.ts) and how the answer is laid out.
 * A request is a flat array of strings, AHEAD_FIELDS per item:
 *     住民票コード, previous 住民票コード or '', 個人番号 or '', '1' when the item has search names or '',
 *     ふりがな, 漢字氏名, 生年月日
 * The answer is the tokens (16 bytes each) of every item in order — code, previous (when given),
 * 個人番号 (when given), then its search keys — followed by one byte per named item: how many search
 * keys it has (1–4, search-keys.ts).
 */
export const AHEAD_FIELDS = 7

export interface AheadRequest {
  readonly id: number
  readonly strings: readonly string[]
}

export interface AheadAnswer {
  readonly id: number
  readonly tokens: Uint8Array
}
