import t from 'tap'
import { isKatakanaName, toSeionKana } from '../../../server/src/domain/kana.ts'

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
