/**
 * ふりがな: the check that a name reading is katakana, and 清音化かな氏名 (別添2 item 13), the search key
 * the prefectural file keeps next to 生年月日 for 4情報 searches (SPEC §4, §6: kana-normalised search).
 * Both sides of a search go through {@link toSeionKana}, so what matters is that it is deterministic.
 */

const HIRAGANA_FIRST = 0x3041 // ぁ
const HIRAGANA_LAST = 0x3096 // ゖ
const HIRAGANA_ITERATION_FIRST = 0x309d // ゝ, ゞ
const HIRAGANA_ITERATION_LAST = 0x309e
const HIRAGANA_TO_KATAKANA = 0x60

/** Small kana → the large kana they are a smaller form of (拗音・促音 → 直音). */
const SMALL_TO_LARGE: ReadonlyMap<string, string> = new Map([
  ['ァ', 'ア'], ['ィ', 'イ'], ['ゥ', 'ウ'], ['ェ', 'エ'], ['ォ', 'オ'],
  ['ッ', 'ツ'], ['ャ', 'ヤ'], ['ュ', 'ユ'], ['ョ', 'ヨ'], ['ヮ', 'ワ'], ['ヵ', 'カ'], ['ヶ', 'ケ'],
  // Katakana Phonetic Extensions (U+31F0–U+31FF, used for Ainu names)
  ['ㇰ', 'ク'], ['ㇱ', 'シ'], ['ㇲ', 'ス'], ['ㇳ', 'ト'], ['ㇴ', 'ヌ'], ['ㇵ', 'ハ'], ['ㇶ', 'ヒ'], ['ㇷ', 'フ'],
  ['ㇸ', 'ヘ'], ['ㇹ', 'ホ'], ['ㇺ', 'ム'], ['ㇻ', 'ラ'], ['ㇼ', 'リ'], ['ㇽ', 'ル'], ['ㇾ', 'レ'], ['ㇿ', 'ロ']
])

/**
 * Dropped from the key: 濁点/半濁点 (combining U+3099/U+309A, after NFD), the long vowel mark ー
 * (so ユーコ and ユウコ differ only by what the spelling says, and ユーコ matches ユコ consistently),
 * white space of any width, and the middle dot ・ that separates the parts of foreign names.
 */
const DROPPED = /[\u3099\u309a\u30fc\u30fb\s]/gu

/** Hiragana (and ゝゞ) → the katakana at the same position of the katakana block. */
function hiraganaToKatakana (s: string): string {
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    const isHiragana = (cp >= HIRAGANA_FIRST && cp <= HIRAGANA_LAST) || (cp >= HIRAGANA_ITERATION_FIRST && cp <= HIRAGANA_ITERATION_LAST)
    out += isHiragana ? String.fromCodePoint(cp + HIRAGANA_TO_KATAKANA) : ch
  }
  return out
}

/**
 * 清音化かな: normalise a ふりがな for the search key.
 * 1. NFKC: half-width katakana (ｶﾞ) become full-width (ガ), full-width spaces become spaces;
 * 2. hiragana → katakana;
 * 3. NFD, then 濁点・半濁点 removed (ガ→カ, パ→ハ, ヴ→ウ, ヷ→ワ);
 * 4. small kana → large (ァ→ア, ッ→ツ, ャ→ヤ, ヮ→ワ);
 * 5. ー, ・ and all spaces removed.
 * Characters that are not kana (Latin letters, digits) pass through NFKC-normalised.
 */
export function toSeionKana (kana: string): string {
  const n = kana.length
  if (n > FAST_MAX_UNITS) return seionByNormalization(kana)
  let same = true
  for (let i = 0; i < n; i++) {
    const unit = kana.charCodeAt(i)
    const at = unit - FAST_FIRST
    const to = at >= 0 && at < FAST.length ? FAST[at] as number : -1
    if (to < 0) return seionByNormalization(kana)
    if (to !== unit) same = false
    units[i] = to
  }
  if (same) return kana
  let kept = 0
  for (let i = 0; i < n; i++) if (units[i] !== 0) units[kept++] = units[i] as number
  units.length = kept
  return String.fromCharCode.apply(null, units)
}

/**
 * {@link toSeionKana} as its steps say, for any string. toSeionKana answers full-width kana and spaces
 * from a table made of this function's answer for each such character on its own: in such a string no
 * character composes or reorders with its neighbour (none is a combining mark, UAX #15), so the answer
 * for the string is the answers for its characters in a row (kana.test.ts compares the two). The table
 * spares the store's update path (twice per accepted update: the record and its search keys) two
 * normalizations, a regular expression and a string per character (issue 18: ~0.9 KB of the store's
 * main thread's allocation per update, gc7's profile).
 */
export function seionByNormalization (kana: string): string {
  const decomposed = hiraganaToKatakana(kana.normalize('NFKC')).normalize('NFD')
  let out = ''
  for (const ch of decomposed.replace(DROPPED, '')) out += SMALL_TO_LARGE.get(ch) ?? ch
  return out
}

/** The table's range: the ideographic space U+3000 to ヾ U+30FE. */
const FAST_FIRST = 0x3000
const FAST_LAST = 0x30fe
/** Longer names take the normalizing path (String.fromCharCode.apply's arguments stay small). */
const FAST_MAX_UNITS = 128

/** Whether a UTF-16 unit is in the table: the ideographic space, hiragana, ゝゞ, katakana ァ–ヾ. */
function tabled (unit: number): boolean {
  return unit === 0x3000 || (unit >= HIRAGANA_FIRST && unit <= HIRAGANA_LAST) ||
    (unit >= HIRAGANA_ITERATION_FIRST && unit <= HIRAGANA_ITERATION_LAST) || (unit >= 0x30a1 && unit <= FAST_LAST)
}

/** Per unit from FAST_FIRST: its 清音化かな as one UTF-16 unit, 0 when it is dropped, -1 when not tabled. */
const FAST: Int32Array = (() => {
  const table = new Int32Array(FAST_LAST - FAST_FIRST + 1).fill(-1)
  for (let unit = FAST_FIRST; unit <= FAST_LAST; unit++) {
    if (!tabled(unit)) continue
    const seion = seionByNormalization(String.fromCharCode(unit))
    if (seion.length > 1) continue
    table[unit - FAST_FIRST] = seion.length === 0 ? 0 : seion.charCodeAt(0)
  }
  return table
})()

/** The units of the answer being built (one array for every call: the store's serial thread). */
const units: number[] = []

/**
 * Full-width katakana letters (ァ–ヺ), the small phonetic extensions (ㇰ–ㇿ) and the iteration marks ヽヾ.
 * ー, ・ and the ideographic space U+3000 are allowed between them; half-width katakana, hiragana,
 * ASCII spaces and everything else are not (the CS holds ふりがな in full-width katakana).
 */
const KATAKANA_NAME = /^[\u30a1-\u30fa\u31f0-\u31ff\u30fd\u30fe\u30fc\u30fb\u3000]+$/u
const KATAKANA_LETTER = /[\u30a1-\u30fa\u31f0-\u31ff]/u

/** True when `s` is a ふりがな氏名 in katakana, holding at least one katakana letter. */
export function isKatakanaName (s: string): boolean {
  return KATAKANA_NAME.test(s) && KATAKANA_LETTER.test(s)
}
