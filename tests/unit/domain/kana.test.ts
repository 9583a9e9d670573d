import t from 'tap'
import { isKatakanaName, seionByNormalization, toSeionKana } from '../../../server/src/domain/kana.ts'

t.test('清音化かな: normalisation table', async (t) => {
  const table: Array<[string, string, string]> = [
    ['ガギグゲゴ', 'カキクケコ', '濁点 removed'],
    ['パピプペポ', 'ハヒフヘホ', '半濁点 removed'],
    ['バビブベボ', 'ハヒフヘホ', '濁点 on ハ行'],
    ['ヴ', 'ウ', 'ヴ → ウ'],
    ['ヷヸヹヺ', 'ワヰヱヲ', 'ワ行 with 濁点'],
    ['ァィゥェォ', 'アイウエオ', 'small vowels'],
    ['ッ', 'ツ', '促音'],
    ['ャュョ', 'ヤユヨ', '拗音'],
    ['ヮヵヶ', 'ワカケ', 'small ワ, カ, ケ'],
    ['ㇰㇷ', 'クフ', 'Katakana Phonetic Extensions'],
    ['ユーコ', 'ユコ', 'long vowel mark dropped'],
    ['しけん たろう', 'シケンタロウ', 'hiragana → katakana, space removed'],
    ['じょうじ', 'シヨウシ', 'hiragana with 濁点 and small kana'],
    ['ｼｹﾝ ﾀﾛｳ', 'シケンタロウ', 'half-width katakana'],
    ['ｶﾞｯﾂ', 'カツツ', 'half-width with dakuten and small tsu'],
    ['ﾊﾟｰﾙ', 'ハル', 'half-width handakuten and long vowel'],
    ['シケン　タロウ', 'シケンタロウ', 'ideographic space removed'],
    ['ジョン・スミス', 'シヨンスミス', 'middle dot removed'],
    ['ｼﾞｮﾝ･ｽﾐｽ', 'シヨンスミス', 'half-width middle dot'],
    ['カ゛', 'カ', 'spacing 濁点 U+309B'],
    ['カ\u3099', 'カ', 'decomposed ガ (カ + U+3099)'],
    ['ゞ', 'ヽ', 'hiragana iteration mark'],
    ['', '', 'empty']
  ]
  for (const [input, expected, why] of table) t.equal(toSeionKana(input), expected, why)
})

t.test('清音化かな is idempotent and makes the variants of one name meet', async (t) => {
  const variants = ['ゴトウ　ユーコ', 'ごとう ゆーこ', 'ｺﾞﾄｳ ﾕｰｺ', 'コトウユコ']
  const keys = new Set(variants.map(toSeionKana))
  t.same([...keys], ['コトウユコ'])
  for (const v of variants) t.equal(toSeionKana(toSeionKana(v)), toSeionKana(v))
})

// toSeionKana answers full-width kana from a table of seionByNormalization's answers per character
// (kana.ts): the two must agree on every string, tabled or not (issue 18).
t.test('清音化かな from the table is the normalizing steps\' answer, character by character and for strings', async (t) => {
  let differ = 0
  for (let unit = 0x2ff0; unit <= 0x3110; unit++) {
    const s = String.fromCharCode(unit)
    if (toSeionKana(s) !== seionByNormalization(s)) differ++
  }
  t.equal(differ, 0, 'every unit from U+2FF0 to U+3110 alone')
  // Strings of tabled characters, and some with one untabled character (a combining mark, half-width
  // kana, Latin, a surrogate pair) that sends the whole string down the normalizing path.
  const tabled = [0x3000, ...range(0x3041, 0x3096), 0x309d, 0x309e, ...range(0x30a1, 0x30fe)].map((u) => String.fromCharCode(u))
  const untabled = ['\u3099', '\u309a', '゛', 'ｶ', 'ﾞ', 'A', ' ', '𠮷', 'ヿ', '\u30ff']
  let seed = 12345
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed % n
  }
  const mismatches: string[] = []
  for (let i = 0; i < 5000; i++) {
    const chars = Array.from({ length: 1 + next(20) }, () => tabled[next(tabled.length)] as string)
    if (i % 3 === 0) chars.splice(next(chars.length + 1), 0, untabled[next(untabled.length)] as string)
    const s = chars.join('')
    if (toSeionKana(s) !== seionByNormalization(s)) mismatches.push(s)
  }
  t.same(mismatches, [], '5000 random strings')
  const long = 'ガ'.repeat(300)
  t.equal(toSeionKana(long), 'カ'.repeat(300), 'a string longer than the table path takes')
  t.equal(toSeionKana('ヤマダ　タロウ'), 'ヤマタタロウ', 'twice in a row: the shared buffer is trimmed each time')
  t.equal(toSeionKana('ア'), 'ア')
})

function range (first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i)
}

t.test('isKatakanaName', async (t) => {
  for (const ok of ['シケン', 'シケン　タロウ', 'ジョン・スミス', 'ユーコ', 'ヴァイオレット', 'ㇰㇷ', 'サヽキ']) t.ok(isKatakanaName(ok), ok)
  const bad: Record<string, string> = {
    'しけん': 'hiragana',
    'ｼｹﾝ': 'half-width',
    'シケン タロウ': 'ASCII space',
    '試験': 'kanji',
    'SHIKEN': 'Latin',
    'ー': 'only a long vowel mark',
    '　': 'only a space',
    '': 'empty',
    'シケン\n': 'newline'
  }
  for (const [s, why] of Object.entries(bad)) t.notOk(isKatakanaName(s), why)
})
