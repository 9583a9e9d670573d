/**
 * What the event generator knows of the register as its events evolve it: the base population
 * (derived on demand, never copied) plus every person an event has touched. It answers "a current
 * resident of this municipality", "a person removed by this municipality", and hands out new
 * persons and codes that no one holds.
 */
import { ChangeReason, FuhyoState } from '../../../proto/src/types.ts'
import { NEVER_ISSUED_BASE, REISSUE_BASE } from './codes.ts'
import type { MunicipalityInfo } from './places.ts'
import type { PersonBody, PersonSeed, Population } from './population.ts'
import type { Rng } from './prng.ts'

/** A person as the generator believes the prefectural file holds them. */
export interface PersonState {
  readonly index: number
  body: PersonBody
  municipalityCode: string
  status: 'current' | 'removed'
  /** The 異動事由 of the last accepted event (a 死亡 cannot be undone by a 転入, transition.ts). */
  lastReason: ChangeReason
  /** Removed by a 転出 whose 転入 into another municipality of the prefecture is still to come. */
  pendingMove: boolean
}

/** A 附票 the generator has created: under which 住民票コード, kept by which municipality. */
export interface FuhyoEntry {
  readonly juminhyoCode: string
  readonly index: number
  readonly manager: string
  state: FuhyoState
}

const ATTEMPTS = 24

/** A list with O(1) add, membership and swap-removal. */
class IndexList {
  readonly items: number[] = []
  readonly #where = new Map<number, number>()

  add (index: number): void {
    if (this.#where.has(index)) return
    this.#where.set(index, this.items.length)
    this.items.push(index)
  }

  removeAt (pos: number): void {
    const last = this.items.pop()
    const gone = this.items[pos]
    if (last === undefined) return
    if (gone !== undefined) {
      this.#where.delete(gone)
      this.items[pos] = last
      this.#where.set(last, pos)
    } else {
      this.#where.delete(last)
    }
  }
}

export class Register {
  readonly population: Population
  readonly #touched = new Map<number, PersonState>()
  /** Persons who became current in a municipality through an event. */
  readonly #arrived = new Map<string, IndexList>()
  /** Persons removed by a municipality. */
  readonly #removed = new Map<string, IndexList>()
  /** 附票 by 住民票コード, and the codes each municipality keeps one for. */
  readonly fuhyo = new Map<string, FuhyoEntry>()
  readonly #fuhyoOf = new Map<string, string[]>()
  #nextIndex: number
  #reissued = 0
  #neverIssued = 0

  constructor (population: Population) {
    this.population = population
    this.#nextIndex = population.count
  }

  /** The person with `index` as the file holds them now (a fresh object: call {@link save} after changing it). */
  state (index: number): PersonState {
    const touched = this.#touched.get(index)
    if (touched !== undefined) return { ...touched }
    const r = this.population.at(index)
    const { index: _i, municipalityCode, registeredBy, registeredOn: _o, ...body } = r
    return { index, body, municipalityCode, status: 'current', lastReason: registeredBy, pendingMove: false }
  }

  /** Record `s` as the file now holds it. */
  save (s: PersonState): void {
    this.#touched.set(s.index, { ...s })
    // A resident still in their own block is found by sampling the block; only others are listed.
    if (s.status === 'current' && s.index < this.population.count && this.population.blockOf(s.index).municipality.code === s.municipalityCode) return
    const lists = s.status === 'current' ? this.#arrived : this.#removed
    let list = lists.get(s.municipalityCode)
    if (list === undefined) {
      list = new IndexList()
      lists.set(s.municipalityCode, list)
    }
    list.add(s.index)
  }

  /** A person not yet on the register (出生, arrivals from outside the prefecture, 職権記載). */
  newPerson (rng: Rng, m: MunicipalityInfo, fixed: PersonSeed): PersonState {
    const index = this.#nextIndex++
    if (index >= REISSUE_BASE) throw new RangeError('person index space exhausted')
    return { index, body: this.population.person(rng, index, m, fixed), municipalityCode: m.code, status: 'current', lastReason: ChangeReason.UNSPECIFIED, pendingMove: false }
  }

  /** A current resident of `m` that `accept` agrees to, or undefined when none is found. */
  pickCurrent (rng: Rng, m: string, accept: (s: PersonState) => boolean = () => true): PersonState | undefined {
    const block = this.population.block(m)
    const size = block.end - block.start
    const arrived = this.#arrived.get(m)
    for (let i = 0; i < ATTEMPTS; i++) {
      const extra = arrived?.items.length ?? 0
      if (size + extra === 0) return undefined
      const k = rng.int(size + extra)
      const fromBlock = k < size
      const index = fromBlock ? block.start + k : arrived?.items[k - size] ?? -1
      const s = this.state(index)
      const here = s.status === 'current' && s.municipalityCode === m
      if (!here && !fromBlock) arrived?.removeAt(k - size)
      if (here && accept(s)) return s
    }
    return undefined
  }

  /** A person removed by `m` (still removed there) that `accept` agrees to. */
  pickRemoved (rng: Rng, m: string, accept: (s: PersonState) => boolean = () => true): PersonState | undefined {
    const list = this.#removed.get(m)
    for (let i = 0; i < ATTEMPTS && list !== undefined && list.items.length > 0; i++) {
      const pos = rng.int(list.items.length)
      const s = this.state(list.items[pos] ?? -1)
      if (s.status !== 'removed' || s.municipalityCode !== m) {
        list.removeAt(pos)
        continue
      }
      if (accept(s)) return s
    }
    return undefined
  }

  /** A current resident anywhere in the population, weighted by municipality size. */
  pickAnyCurrent (rng: Rng, accept: (s: PersonState) => boolean = () => true): PersonState | undefined {
    if (this.population.count === 0) return undefined
    const m = this.population.blockOf(rng.int(this.population.count)).municipality.code
    return this.pickCurrent(rng, m, accept)
  }

  /** A 住民票コード issued for the first time now (住民票コード変更). */
  reissueJuminhyoCode (): string {
    return this.population.codes.juminhyoCode(REISSUE_BASE + this.#reissued++)
  }

  /** A 個人番号 issued for the first time now (個人番号変更). */
  reissueKojinBango (): string {
    return this.population.codes.kojinBango(REISSUE_BASE + this.#reissued++)
  }

  /** A well-formed 住民票コード that no record has or will have. */
  neverIssuedJuminhyoCode (): string {
    return this.population.codes.juminhyoCode(NEVER_ISSUED_BASE + this.#neverIssued++)
  }

  /** A well-formed 個人番号 that no resident has or will have. */
  neverIssuedKojinBango (): string {
    return this.population.codes.kojinBango(NEVER_ISSUED_BASE + this.#neverIssued++)
  }

  /** Record a 附票 created or changed by `manager`. */
  saveFuhyo (f: FuhyoEntry): void {
    if (!this.fuhyo.has(f.juminhyoCode)) {
      const list = this.#fuhyoOf.get(f.manager) ?? []
      list.push(f.juminhyoCode)
      this.#fuhyoOf.set(f.manager, list)
    }
    this.fuhyo.set(f.juminhyoCode, f)
  }

  /** A current 附票 kept by `manager`. */
  pickFuhyo (rng: Rng, manager: string): FuhyoEntry | undefined {
    const list = this.#fuhyoOf.get(manager)
    if (list === undefined || list.length === 0) return undefined
    const f = this.fuhyo.get(rng.pick(list))
    return f?.state === FuhyoState.CURRENT ? f : undefined
  }
}
