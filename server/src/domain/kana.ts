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
  const decomposed = hiraganaToKatakana(kana.normalize('NFKC')).normalize('NFD')
  let out = ''
  for (const ch of decomposed.replace(DROPPED, '')) out += SMALL_TO_LARGE.get(ch) ?? ch
  return out
}

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
