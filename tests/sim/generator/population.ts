/**
 * The synthetic population: residents of a prefecture's municipalities, each derived in O(1) from
 * (seed, index) — nothing is held per resident, so 5.1 M residents cost no memory and any one can be
 * looked at directly (tests and the benchmark pick random keys). Residents of one municipality are a
 * contiguous block of indexes, sized by the municipality's real population share.
 */
import { ChangeReason, Sex, type IdentityUpdate } from '../../../proto/src/types.ts'
import { countGaiji, GAIJI_FIRST } from '../../../server/src/domain/gaiji.ts'
import { ageOn, birthDateFor, fromDays, pickAge, toDays, yearsBefore } from './age.ts'
import { CodeSpace } from './codes.ts'
import { fullName, type NamePart, pickGivenName, pickOtherSurname, pickSurname } from './names.ts'
import { addressIn, type MunicipalityInfo, type Town, townsOf } from './places.ts'
import { populationWeight } from './populations.ts'
import { hash32, Rng, type Seed, seedWord } from './prng.ts'

/** The items of a person's record a CS sends (IdentityUpdate without the event). */
export type PersonBody = Omit<IdentityUpdate, 'changeReason' | 'changeDate' | 'previousJuminhyoCode'>

/** One resident: the record items, where they live, and how they came onto the register. */
export interface Resident extends PersonBody {
  readonly index: number
  readonly municipalityCode: string
  /** The creating 異動事由 the initial load sends (出生, 転入, 国外からの転入, 職権記載). */
  readonly registeredBy: ChangeReason
  /** Its 異動年月日. */
  readonly registeredOn: string
}

export interface PopulationOptions {
  readonly seed: Seed
  readonly municipalities: readonly MunicipalityInfo[]
  readonly count: number
  /** 住民票コード satisfy the optional modulus-11 rule (SPEC §2.3); default true. */
  readonly juminhyoCheckDigit?: boolean
  /** The date ages refer to, and the last date of the initial load; default 2024-04-01. */
  readonly asOf?: string
  /** Prefix of every address; default 福岡県. */
  readonly prefectureName?: string
}

/** The residents of one municipality: indexes [start, end). */
export interface Block {
  readonly municipality: MunicipalityInfo
  readonly start: number
  readonly end: number
}

/** Share of residents with a 外字 in the surname, and in the address. */
export const NAME_GAIJI_RATE = 0.004
export const ADDRESS_GAIJI_RATE = 0.001
/** Share of women of 25 and over with a 旧氏 recorded (住基法施行令30条の13, since 2019). */
export const KYUUJI_RATE = 0.05

const RESIDENT_STREAM = hash32('resident')

/** Largest-remainder apportionment of `count` over the weights. */
function apportion (count: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (count * w) / total)
  const out = exact.map(Math.floor)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0, left = count - out.reduce((a, b) => a + b, 0); k < left; k++) {
    const i = order[k % order.length]?.[1] ?? 0
    out[i] = (out[i] ?? 0) + 1
  }
  return out
}

/** What is fixed about a person before the rest is drawn (for births and arrivals during events). */
export interface PersonSeed {
  readonly birthDate?: string
  readonly surname?: NamePart
  /** Earliest age when no birth date is given (arrivals are mostly adults). */
  readonly minAge?: number
  /** The date ages refer to. */
  readonly on?: string
}

/** A lazily derived population; see {@link generatePopulation}. */
export class Population implements Iterable<Resident> {
  readonly seed: number
  readonly count: number
  readonly municipalities: readonly MunicipalityInfo[]
  readonly juminhyoCheckDigit: boolean
  readonly asOf: string
  readonly prefectureName: string
  readonly blocks: readonly Block[]
  readonly codes: CodeSpace
  readonly #towns = new Map<string, Town[]>()
  readonly #byCode = new Map<string, Block>()

  constructor (options: PopulationOptions) {
    if (!Number.isSafeInteger(options.count) || options.count < 0 || options.count >= 1_000_000_000) throw new RangeError('count must be an integer in 0..10^9')
    if (options.municipalities.length === 0) throw new RangeError('at least one municipality')
    this.seed = seedWord(options.seed)
    this.count = options.count
    this.municipalities = options.municipalities
    this.juminhyoCheckDigit = options.juminhyoCheckDigit ?? true
    this.asOf = options.asOf ?? '2024-04-01'
    this.prefectureName = options.prefectureName ?? '福岡県'
    this.codes = new CodeSpace(this.seed, this.juminhyoCheckDigit)
    const sizes = apportion(this.count, options.municipalities.map((m) => populationWeight(m.code)))
    let start = 0
    this.blocks = options.municipalities.map((municipality, i) => {
      const block = { municipality, start, end: start + (sizes[i] ?? 0) }
      start = block.end
      this.#byCode.set(municipality.code, block)
      return block
    })
  }

  /** The block of the municipality with `code`. */
  block (code: string): Block {
    const b = this.#byCode.get(code)
    if (b === undefined) throw new RangeError(`municipality ${code} is not in this population`)
    return b
  }

  /** The block that holds resident `index` (binary search over the municipalities). */
  blockOf (index: number): Block {
    let lo = 0
    let hi = this.blocks.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.blocks[mid]?.end ?? 0) > index) hi = mid
      else lo = mid + 1
    }
    const b = this.blocks[lo]
    if (b === undefined || index < b.start || index >= b.end) throw new RangeError(`index ${index} is outside the population`)
    return b
  }

  /** The 町名 list of a municipality, derived once. */
  towns (m: MunicipalityInfo): Town[] {
    let t = this.#towns.get(m.code)
    if (t === undefined) {
      t = townsOf(Rng.derive(this.seed, 'towns', m.code), m)
      this.#towns.set(m.code, t)
    }
    return t
  }

  /** A new address in `m` (for 転居 and arrivals), from the caller's rng. */
  address (rng: Rng, m: MunicipalityInfo, gaiji = false): { address: string, oazaCode: string } {
    return addressIn(rng, this.prefectureName, m, rng.pick(this.towns(m)), gaiji)
  }

  /** Resident `index` (0 ≤ index < count), in O(1). */
  at (index: number): Resident {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) throw new RangeError(`index ${index} is outside the population`)
    const rng = Rng.indexed(this.seed, RESIDENT_STREAM, index)
    const m = this.blockOf(index).municipality
    const resident = this.person(rng, index, m, { on: this.asOf }) as Mutable<Resident>
    registration(rng, resident, this.asOf)
    resident.index = index
    resident.municipalityCode = m.code
    return resident
  }

  /**
   * The record items of person `index` living in `m`, drawn from `rng`: sex and age from the 2020
   * pyramid (unless the seed fixes the birth date), names of the person's generation, an address,
   * codes from the index, and now and then a 外字 or a 旧氏.
   */
  person (rng: Rng, index: number, m: MunicipalityInfo, fixed: PersonSeed = {}): PersonBody {
    const on = fixed.on ?? this.asOf
    let birthDate = fixed.birthDate
    if (birthDate === undefined) {
      let age = pickAge(rng)
      while (age < (fixed.minAge ?? 0)) age = pickAge(rng)
      birthDate = birthDateFor(rng, age, on)
    }
    const age = ageOn(birthDate, on)
    const female = rng.chance(age >= 80 ? 0.62 : age >= 60 ? 0.52 : 0.49)
    const surname = fixed.surname ?? pickSurname(rng)
    const name = fullName(surname, pickGivenName(rng, female, Number(birthDate.slice(0, 4))))
    const nameKanji = rng.chance(NAME_GAIJI_RATE) ? withGaiji(rng, name.kanji) : name.kanji
    const { address, oazaCode } = this.address(rng, m, rng.chance(ADDRESS_GAIJI_RATE))
    const kyuuji = female && age >= 25 && rng.chance(KYUUJI_RATE) ? pickOtherSurname(rng, surname.kanji) : undefined
    const nameGaijiCount = countGaiji(nameKanji)
    const addressGaijiCount = countGaiji(address)
    return {
      juminhyoCode: this.codes.juminhyoCode(index),
      nameKanji,
      nameGaijiCount,
      nameKana: name.kana,
      birthDate,
      sex: female ? Sex.FEMALE : Sex.MALE,
      address,
      addressGaijiCount,
      kojinBango: this.codes.kojinBango(index),
      oazaCode,
      gaijiFlag: nameGaijiCount + addressGaijiCount > 0,
      nameGaijiSerial: nameGaijiCount > 0 ? 1 : 0,
      addressGaijiSerial: addressGaijiCount > 0 ? 1 : 0,
      kyuujiKanji: kyuuji?.kanji ?? '',
      kyuujiGaijiCount: 0,
      kyuujiKana: kyuuji?.kana ?? '',
      kyuujiGaijiSerial: 0
    }
  }

  * [Symbol.iterator] (): Iterator<Resident> {
    for (let i = 0; i < this.count; i++) yield this.at(i)
  }
}

/** The first character of the surname as a registered 外字 (a Private Use Area code point). */
function withGaiji (rng: Rng, kanji: string): string {
  return String.fromCodePoint(GAIJI_FIRST + rng.int(0x800)) + kanji.slice(1)
}

/**
 * How a resident of the initial load came onto the register: most children and a quarter of adults
 * were born there (出生 on the birth date); the rest moved in (転入), a few from abroad or entered ex
 * officio, on a date between adulthood (or birth) and `asOf`.
 */
function registration (rng: Rng, r: Mutable<Resident>, asOf: string): void {
  const age = ageOn(r.birthDate, asOf)
  if (rng.chance(age < 18 ? 0.85 : 0.25)) {
    r.registeredBy = ChangeReason.SHUSSEI
    r.registeredOn = r.birthDate
    return
  }
  const x = rng.float()
  r.registeredBy = x < 0.02 ? ChangeReason.SHOKKEN_KISAI : x < 0.05 ? ChangeReason.KOKUGAI_TENNYU : ChangeReason.TENNYU
  const from = Math.max(toDays(r.birthDate), toDays(age >= 18 ? yearsBefore(asOf, Math.min(age - 18, 40)) : r.birthDate))
  const to = toDays(asOf)
  r.registeredOn = fromDays(from + rng.int(to - from + 1))
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * A synthetic population of `count` residents over `municipalities`, deterministic from `seed`.
 * Nothing is generated until asked: `population.at(i)` derives resident i in O(1), iterating
 * streams them all.
 */
export function generatePopulation (options: PopulationOptions): Population {
  return new Population(options)
}
