/**
 * Name tables for the synthetic population: common Japanese surnames with their approximate number
 * of bearers (万人, after the usual surname rankings; a few Kyushu names added), and given names by
 * sex and generation, because names follow their era (清・和子 for those born before 1960, 蓮・陽葵
 * after 1995). Readings are katakana as the CS holds ふりがな. The people are invented; only the
 * frequency of names is realistic.
 */
import { type Rng, WeightedTable } from './prng.ts'

/** A name in kanji and its reading. */
export interface NamePart {
  readonly kanji: string
  readonly kana: string
}

function parse (table: string): Array<[NamePart, number]> {
  return table.trim().split(/\s+/).map((entry, rank) => {
    const [kanji, kana, weight] = entry.split(':')
    if (kanji === undefined || kana === undefined) throw new Error(`bad name entry ${entry}`)
    // Surnames carry their weight; given names are weighted by rank (Zipf-like), most common first.
    return [{ kanji, kana }, weight === undefined ? 1 / (rank + 8) : Number(weight)]
  })
}

const SURNAMES = parse(`
佐藤:サトウ:187 鈴木:スズキ:180 高橋:タカハシ:141 田中:タナカ:133 伊藤:イトウ:108 渡辺:ワタナベ:106
山本:ヤマモト:106 中村:ナカムラ:104 小林:コバヤシ:101 加藤:カトウ:89 吉田:ヨシダ:84 山田:ヤマダ:81
佐々木:ササキ:67 山口:ヤマグチ:64 松本:マツモト:62 井上:イノウエ:61 木村:キムラ:57 林:ハヤシ:53
斎藤:サイトウ:52 清水:シミズ:51 山崎:ヤマザキ:48 森:モリ:46 池田:イケダ:44 橋本:ハシモト:44
阿部:アベ:44 石川:イシカワ:43 山下:ヤマシタ:42 中島:ナカシマ:41 石井:イシイ:41 小川:オガワ:40
前田:マエダ:39 岡田:オカダ:39 長谷川:ハセガワ:38 藤田:フジタ:38 後藤:ゴトウ:37 近藤:コンドウ:37
村上:ムラカミ:36 遠藤:エンドウ:35 青木:アオキ:34 坂本:サカモト:34 斉藤:サイトウ:33 福田:フクダ:33
太田:オオタ:32 西村:ニシムラ:32 藤井:フジイ:31 金子:カネコ:31 岡本:オカモト:31 藤原:フジワラ:31
中野:ナカノ:30 三浦:ミウラ:30 原田:ハラダ:30 中川:ナカガワ:30 松田:マツダ:30 竹内:タケウチ:29
小野:オノ:29 田村:タムラ:28 中山:ナカヤマ:28 和田:ワダ:28 石田:イシダ:27 森田:モリタ:27
上田:ウエダ:27 原:ハラ:27 内田:ウチダ:26 柴田:シバタ:26 酒井:サカイ:26 宮崎:ミヤザキ:25
横山:ヨコヤマ:25 高木:タカギ:25 安藤:アンドウ:25 宮本:ミヤモト:24 大野:オオノ:24 小島:コジマ:24
谷口:タニグチ:23 今井:イマイ:23 工藤:クドウ:23 高田:タカダ:23 増田:マスダ:22 丸山:マルヤマ:22
杉山:スギヤマ:22 村田:ムラタ:22 大塚:オオツカ:22 新井:アライ:21 小山:コヤマ:21 平野:ヒラノ:21
藤本:フジモト:21 河野:コウノ:21 上野:ウエノ:21 野口:ノグチ:20 武田:タケダ:20 松井:マツイ:20
千葉:チバ:20 岩崎:イワサキ:20 菅原:スガワラ:20 木下:キノシタ:20 久保:クボ:19 佐野:サノ:19
野村:ノムラ:19 松尾:マツオ:19 市川:イチカワ:19 菊地:キクチ:19 杉本:スギモト:18 古川:フルカワ:18
大西:オオニシ:18 島田:シマダ:18 水野:ミズノ:18 桜井:サクライ:18 高野:タカノ:17 渡部:ワタナベ:17
吉川:ヨシカワ:17 山内:ヤマウチ:17 西田:ニシダ:17 飯田:イイダ:17 菊池:キクチ:17 西川:ニシカワ:17
小松:コマツ:17 北村:キタムラ:17 安田:ヤスダ:16 五十嵐:イガラシ:16 川口:カワグチ:16 平田:ヒラタ:16
関:セキ:16 中田:ナカタ:16 久保田:クボタ:16 服部:ハットリ:16 東:ヒガシ:16 岩田:イワタ:16
土屋:ツチヤ:16 川崎:カワサキ:16 福島:フクシマ:16 本田:ホンダ:15 辻:ツジ:15 樋口:ヒグチ:15
秋山:アキヤマ:15 田口:タグチ:15 永井:ナガイ:15 山中:ヤマナカ:15 中西:ナカニシ:15 吉村:ヨシムラ:15
川上:カワカミ:15 大橋:オオハシ:15 石原:イシハラ:15 松岡:マツオカ:15 浜田:ハマダ:15 馬場:ババ:15
森本:モリモト:15 矢野:ヤノ:15 古賀:コガ:15 白石:シライシ:12 松永:マツナガ:12 江口:エグチ:10
緒方:オガタ:10 堤:ツツミ:9 末松:スエマツ:8
`)

/** Birth-year bands the given-name tables follow. */
export type Generation = 'before1960' | 'from1960' | 'from1995'

const MALE: Record<Generation, Array<[NamePart, number]>> = {
  before1960: parse(`
清:キヨシ 茂:シゲル 博:ヒロシ 実:ミノル 勇:イサム 進:ススム 正:タダシ 弘:ヒロシ 勝:マサル 豊:ユタカ
武:タケシ 明:アキラ 隆:タカシ 修:オサム 稔:ミノル 和夫:カズオ 正雄:マサオ 秀雄:ヒデオ 一郎:イチロウ
三郎:サブロウ 健一:ケンイチ 昭:アキラ 勉:ツトム 孝:タカシ 保:タモツ 幸雄:ユキオ 義雄:ヨシオ 正夫:マサオ
洋一:ヨウイチ 誠:マコト 光男:ミツオ 久雄:ヒサオ 利夫:トシオ 正一:ショウイチ 俊夫:トシオ 次郎:ジロウ
信夫:ノブオ 文男:フミオ 敏夫:トシオ 和男:カズオ`),
  from1960: parse(`
誠:マコト 大輔:ダイスケ 直樹:ナオキ 浩:ヒロシ 健:ケン 哲也:テツヤ 剛:ツヨシ 達也:タツヤ 和也:カズヤ
拓也:タクヤ 翔太:ショウタ 健太:ケンタ 大介:ダイスケ 亮:リョウ 隆之:タカユキ 秀樹:ヒデキ 学:マナブ
聡:サトシ 修一:シュウイチ 浩二:コウジ 裕介:ユウスケ 雄一:ユウイチ 智之:トモユキ 健二:ケンジ 慎一:シンイチ
英樹:ヒデキ 洋平:ヨウヘイ 亮太:リョウタ 拓哉:タクヤ 翼:ツバサ 大樹:ダイキ 悠:ユウ 圭介:ケイスケ
和彦:カズヒコ 伸也:シンヤ 康弘:ヤスヒロ 博之:ヒロユキ 直人:ナオト 雅之:マサユキ 純一:ジュンイチ`),
  from1995: parse(`
蓮:レン 陽翔:ハルト 湊:ミナト 大翔:ヒロト 悠真:ユウマ 樹:イツキ 陽太:ヨウタ 悠斗:ユウト 颯太:ソウタ
蒼:アオイ 朝陽:アサヒ 律:リツ 悠人:ハルト 大和:ヤマト 陸:リク 翔:ショウ 颯:ハヤテ 結翔:ユイト
海斗:カイト 優斗:ユウト 翔太:ショウタ 拓海:タクミ 健太:ケンタ 大輝:ダイキ 涼太:リョウタ 蒼空:ソラ
奏太:カナタ 陽向:ヒナタ 碧:アオイ 颯真:ソウマ 新:アラタ 駿:シュン 隼:ハヤト 優:ユウ 智也:トモヤ
翔真:ショウマ 匠:タクミ 伊吹:イブキ 晴:ハル 陽斗:ハルト`)
}

const FEMALE: Record<Generation, Array<[NamePart, number]>> = {
  before1960: parse(`
和子:カズコ 幸子:サチコ 節子:セツコ 洋子:ヨウコ 美代子:ミヨコ 恵子:ケイコ 京子:キョウコ 久子:ヒサコ
弘子:ヒロコ 文子:フミコ 千代子:チヨコ 悦子:エツコ 信子:ノブコ 照子:テルコ 静子:シズコ 清子:キヨコ
昭子:アキコ 春子:ハルコ 正子:マサコ 敏子:トシコ 美智子:ミチコ 好子:ヨシコ 光子:ミツコ 順子:ジュンコ
栄子:エイコ 登美子:トミコ 君子:キミコ 芳子:ヨシコ 初子:ハツコ 富子:トミコ 澄子:スミコ 八重子:ヤエコ
千鶴子:チヅコ 愛子:アイコ 喜代子:キヨコ 政子:マサコ 道子:ミチコ 花子:ハナコ 典子:ノリコ 勝子:カツコ`),
  from1960: parse(`
裕子:ユウコ 真由美:マユミ 智子:トモコ 久美子:クミコ 陽子:ヨウコ 直美:ナオミ 由美子:ユミコ 明美:アケミ
恵美:エミ 香織:カオリ 美穂:ミホ 愛:アイ 彩:アヤ 麻衣:マイ 舞:マイ 恵:メグミ 由美:ユミ 理恵:リエ
美香:ミカ 純子:ジュンコ 千尋:チヒロ 沙織:サオリ 奈美:ナミ 亜希子:アキコ 美紀:ミキ 綾:アヤ 瞳:ヒトミ
愛美:マナミ 優子:ユウコ 友美:トモミ 麻美:アサミ 由香:ユカ さくら:サクラ 彩香:アヤカ 美咲:ミサキ
加奈子:カナコ 真理子:マリコ 幸恵:ユキエ 典子:ノリコ 美由紀:ミユキ`),
  from1995: parse(`
陽葵:ヒマリ 凛:リン 結菜:ユイナ 葵:アオイ 紬:ツムギ 芽依:メイ 結愛:ユア 莉子:リコ 美桜:ミオ 澪:ミオ
陽菜:ヒナ 咲良:サクラ 心春:コハル 杏:アン 結衣:ユイ 彩花:アヤカ 美咲:ミサキ 七海:ナナミ 花音:カノン
優奈:ユウナ 愛莉:アイリ 琴音:コトネ 楓:カエデ 日菜:ヒナ 詩:ウタ 未来:ミライ 紗希:サキ 彩乃:アヤノ
真央:マオ 遥:ハルカ 萌:モエ 菜々子:ナナコ 千夏:チナツ 朱莉:アカリ 芽生:メイ 柚希:ユズキ 美月:ミヅキ
心:ココロ 杏奈:アンナ 夏美:ナツミ`)
}

const surnameTable = new WeightedTable(SURNAMES)
const givenTables = {
  male: Object.fromEntries(Object.entries(MALE).map(([g, t]) => [g, new WeightedTable(t)])) as Record<Generation, WeightedTable<NamePart>>,
  female: Object.fromEntries(Object.entries(FEMALE).map(([g, t]) => [g, new WeightedTable(t)])) as Record<Generation, WeightedTable<NamePart>>
}

/** Number of distinct entries in each table (for tests and documentation). */
export const NAME_TABLE_SIZES = {
  surnames: SURNAMES.length,
  male: Object.values(MALE).reduce((n, t) => n + t.length, 0),
  female: Object.values(FEMALE).reduce((n, t) => n + t.length, 0)
}

/** The generation a birth year belongs to. */
export function generationOf (birthYear: number): Generation {
  return birthYear < 1960 ? 'before1960' : birthYear < 1995 ? 'from1960' : 'from1995'
}

/** A surname, weighted by how many people bear it. */
export function pickSurname (rng: Rng): NamePart {
  return surnameTable.pick(rng)
}

/** A surname other than `not` (for 旧氏 and changes of name). */
export function pickOtherSurname (rng: Rng, not: string): NamePart {
  for (;;) {
    const s = surnameTable.pick(rng)
    if (s.kanji !== not) return s
  }
}

/** A given name for the sex and birth year, weighted by popularity in its generation. */
export function pickGivenName (rng: Rng, female: boolean, birthYear: number): NamePart {
  return (female ? givenTables.female : givenTables.male)[generationOf(birthYear)].pick(rng)
}

/** 氏名 as the register writes it: surname, an ideographic space, given name (kanji and kana alike). */
export function fullName (surname: NamePart, given: NamePart): NamePart {
  return { kanji: `${surname.kanji}\u3000${given.kanji}`, kana: `${surname.kana}\u3000${given.kana}` }
}
