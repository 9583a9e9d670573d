/**
 * Addresses inside a municipality: each municipality (each ward of a designated city) gets a fixed,
 * seed-derived list of 町名 — 町・丁目 with 住居表示 (…二丁目3番15号) in cities, 大字 with 番地 in towns
 * and villages — and every address carries its 大字・字コード: 4 digits for the 町・大字 (its place in
 * the list) and 3 for the 丁目 (000 where there is none), the shape of the Address Base Registry's
 * 町字ID. The names are plausible, not a gazetteer.
 */
import { type Rng } from './prng.ts'
import { GAIJI_FIRST } from '../../../server/src/domain/gaiji.ts'

/** What the generator needs to know of a municipality (firmware-config's Municipality fits). */
export interface MunicipalityInfo {
  readonly code: string
  readonly name: string
  readonly kind?: string
  readonly county?: string
  readonly wards?: readonly { readonly code: string, readonly name: string }[]
}

const URBAN = `本町 中央 東町 西町 南町 北町 栄町 旭町 緑町 若葉 桜町 松原 新町 大手町 元町 錦町 港町 城内 泉
春日 昭和町 平和 清水 高見 日の出町 青葉台 光町 住吉 天神 寿町 浜町 宮前 山手 駅前 田町 川原 中島 上町 下町
岡町 今町 古町 原町 野田 大池 松ケ丘 梅ケ丘 竹下 井尻 荒江 香椎 千早 和白 名島 箱崎 藤崎 長住 宮田 白金 高宮
大橋 野間 平尾 室見 姪浜 西新 有田 曙 黒崎 三萩野 黄金 紺屋町 魚町 鍛冶町 大名 今泉 薬院 警固 赤坂 舞鶴
草香江 六本松 桧原 次郎丸 田隈 干隈 長尾 片江 東山 中尾 花畑 柏原 横手`.split(/\s+/)

const RURAL = `上府 下府 中原 東郷 西山 宮田 本村 新田 松尾 石坂 大谷 小原 長野 竹野 柿原 江川 吉木 野間 高田
平原 久原 猪野 山田 上津 下津 中津 今宿 柳原 牛島 内野 古野 高木 坂本 大鶴 白木 赤池 金田 弓削田 伊田 鎮西`.split(/\s+/)

const KANJI_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九']

/** One 町 or 大字 of a municipality (or of one of its wards). */
export interface Town {
  /** 4-digit place in the municipality's list: the first half of the 大字・字コード. */
  readonly serial: number
  /** The ward (区) it lies in, for a designated city. */
  readonly ward: string
  readonly name: string
  /** Number of 丁目 (0: 大字 or 町 without 丁目). */
  readonly chome: number
  readonly rural: boolean
}


/** The 町名 list of a municipality: deterministic from the seed's rng for that municipality. */
export function townsOf (rng: Rng, m: MunicipalityInfo): Town[] {
  const rural = m.kind === 'town' || m.kind === 'village' || /[町村]$/u.test(m.name)
  const wards = m.wards !== undefined && m.wards.length > 0 ? m.wards.map((w) => w.name) : ['']
  const towns: Town[] = []
  for (const ward of wards) {
    const stems = rng.shuffled(rural ? RURAL : URBAN).slice(0, rural ? rng.between(8, 20) : rng.between(15, 35))
    for (const name of stems) {
      const chome = rural ? 0 : rng.chance(0.7) ? rng.between(1, 6) : 0
      towns.push({ serial: towns.length + 1, ward, name: rural ? `大字${name}` : name, chome, rural })
    }
  }
  return towns
}

/** An address and what describes it in the record. */
export interface Address {
  readonly address: string
  readonly oazaCode: string
}

/**
 * A plausible address in `town`. With `gaiji`, the 町名's first character is replaced by a 外字
 * (a Private Use Area code point), as a municipality's registered variant would be.
 */
export function addressIn (rng: Rng, prefecture: string, m: MunicipalityInfo, town: Town, gaiji = false): Address {
  const at = town.rural ? 2 : 0
  const townName = gaiji ? town.name.slice(0, at) + String.fromCodePoint(GAIJI_FIRST + 0x800 + rng.int(0x400)) + town.name.slice(at + 1) : town.name
  const head = `${prefecture}${m.county ?? ''}${m.name}${town.ward}${townName}`
  const chome = town.chome > 0 ? rng.between(1, town.chome) : 0
  let rest: string
  if (town.rural) {
    const banchi = rng.between(1, 3000)
    rest = rng.chance(0.4) ? `${banchi}番地${rng.between(1, 30)}` : `${banchi}番地`
  } else if (chome > 0) {
    rest = `${KANJI_DIGITS[chome] ?? ''}丁目${rng.between(1, 30)}番${rng.between(1, 40)}号`
  } else {
    rest = `${rng.between(1, 999)}番地${rng.between(1, 20)}`
  }
  return { address: head + rest, oazaCode: String(town.serial).padStart(4, '0') + String(chome).padStart(3, '0') }
}
