/**
 * The valid events: one builder per kind, each choosing a person the 異動事由 fits (SPEC §2.4 and
 * server/src/domain/transition.ts: a 転出 only for a current resident of the sender, a 消除の回復 only
 * for someone the sender removed, …), building the update and recording what it does to the file.
 * A builder returns undefined when no person fits; the caller then draws another kind.
 */
import { ChangeReason, FuhyoNotice, FuhyoState, type FuhyoUpdate, type Update } from '../../../proto/src/types.ts'
import { countGaiji } from '../../../server/src/domain/gaiji.ts'
import { fromDays, toDays } from './age.ts'
import { identityOf } from './bodies.ts'
import { pickOtherSurname } from './names.ts'
import type { MunicipalityInfo } from './places.ts'
import type { PersonBody, Population } from './population.ts'
import type { Rng } from './prng.ts'
import type { PersonState, Register } from './register.ts'

/** What a builder sees: the sender, the clock, the register and the randomness. */
export interface Scene {
  readonly rng: Rng
  readonly register: Register
  readonly population: Population
  readonly sender: MunicipalityInfo
  readonly today: string
  /** Municipalities that send events (a 転出 within the prefecture moves a person to one of them). */
  readonly pickDestination: (not: string) => MunicipalityInfo | undefined
}

/** A move within the prefecture: the 転出 is sent now, the 転入 by `to` later. */
export interface PendingMove {
  readonly index: number
  readonly to: MunicipalityInfo
  readonly tokurei: boolean
  readonly notBefore: string
}

/** A built event: the body, a label for statistics, and a move to schedule. */
export interface Built {
  readonly label: string
  readonly body: Pick<Update, 'identity' | 'fuhyo'>
  readonly move?: PendingMove
}

/** Share of 転出 that go to another municipality of the prefecture (and come back as a 転入). */
export const INTRA_PREFECTURE_MOVE_RATE = 0.55

/** 異動年月日: today or up to three days before (a CS enters a notification within days), not before `notBefore`. */
export function changeDate (scene: Scene, notBefore: string): string {
  const d = fromDays(toDays(scene.today) - scene.rng.int(4))
  return d < notBefore ? notBefore : d
}

/** 外字フラグ from the item counts. */
export function withGaijiFlag (b: PersonBody): PersonBody {
  return { ...b, gaijiFlag: b.nameGaijiCount + b.addressGaijiCount + b.kyuujiGaijiCount > 0 }
}

/** `b` with a new address in `m` (and its 大字・字コード, 外字数 and 外字フラグ). */
export function newAddress (scene: Scene, b: PersonBody, m: MunicipalityInfo): PersonBody {
  for (;;) {
    const { address, oazaCode } = scene.population.address(scene.rng, m)
    if (address !== b.address) return withGaijiFlag({ ...b, address, oazaCode, addressGaijiCount: countGaiji(address) })
  }
}

function identityEvent (label: string, b: PersonBody, reason: ChangeReason, date: string, previous = ''): Built {
  return { label, body: { identity: identityOf(b, reason, date, previous) } }
}

function save (scene: Scene, s: PersonState, changes: Partial<PersonState>): void {
  scene.register.save({ ...s, ...changes })
}

/** 転居: a new address in the same municipality, nothing else. */
export function tenkyo (scene: Scene): Built | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
  if (s === undefined) return undefined
  const body = newAddress(scene, s.body, scene.sender)
  const date = changeDate(scene, s.body.birthDate)
  save(scene, s, { body, lastReason: ChangeReason.TENKYO })
  return identityEvent('TENKYO', body, ChangeReason.TENKYO, date)
}

/** 転出 / 特例転出; within the prefecture more than half the time, with its 転入 scheduled. */
export function tenshutsu (scene: Scene): Built | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
  if (s === undefined) return undefined
  const tokurei = scene.rng.chance(0.3)
  const reason = tokurei ? ChangeReason.TOKUREI_TENSHUTSU : ChangeReason.TENSHUTSU
  const date = changeDate(scene, s.body.birthDate)
  const to = scene.rng.chance(INTRA_PREFECTURE_MOVE_RATE) ? scene.pickDestination(scene.sender.code) : undefined
  save(scene, s, { status: 'removed', lastReason: reason, pendingMove: to !== undefined })
  const built = identityEvent(tokurei ? 'TOKUREI_TENSHUTSU' : 'TENSHUTSU', s.body, reason, date)
  return to === undefined ? built : { ...built, move: { index: s.index, to, tokurei, notBefore: date } }
}

/** The 転入 that completes a move within the prefecture: the same person, a new address. */
export function tennyuOfMove (scene: Scene, move: PendingMove): Built {
  const s = scene.register.state(move.index)
  const body = newAddress(scene, s.body, move.to)
  const reason = move.tokurei ? ChangeReason.TOKUREI_TENNYU : ChangeReason.TENNYU
  const date = changeDate(scene, move.notBefore)
  save(scene, s, { body, municipalityCode: move.to.code, status: 'current', lastReason: reason, pendingMove: false })
  return identityEvent(move.tokurei ? 'TOKUREI_TENNYU' : 'TENNYU', body, reason, date)
}

/** A person new to the prefecture's file: 転入 from another prefecture, 国外からの転入, 職権記載. */
function arrival (scene: Scene, reason: ChangeReason, label: string): Built {
  const s = scene.register.newPerson(scene.rng, scene.sender, { on: scene.today })
  const date = changeDate(scene, s.body.birthDate)
  save(scene, s, { lastReason: reason })
  return identityEvent(label, s.body, reason, date)
}

export function tennyuFromOutside (scene: Scene): Built {
  return scene.rng.chance(0.2) ? arrival(scene, ChangeReason.TOKUREI_TENNYU, 'TOKUREI_TENNYU') : arrival(scene, ChangeReason.TENNYU, 'TENNYU')
}

export function kokugaiTennyu (scene: Scene): Built {
  return arrival(scene, ChangeReason.KOKUGAI_TENNYU, 'KOKUGAI_TENNYU')
}

export function shokkenKisai (scene: Scene): Built {
  return arrival(scene, ChangeReason.SHOKKEN_KISAI, 'SHOKKEN_KISAI')
}

/** 出生: a child of a resident aged 20–45, in the parent's household (surname and address). */
export function shussei (scene: Scene): Built | undefined {
  const minBirth = fromDays(toDays(scene.today) - 45 * 365)
  const maxBirth = fromDays(toDays(scene.today) - 20 * 365)
  const parent = scene.register.pickCurrent(scene.rng, scene.sender.code, (p) => p.body.birthDate >= minBirth && p.body.birthDate <= maxBirth)
  if (parent === undefined) return undefined
  const birthDate = fromDays(toDays(scene.today) - scene.rng.int(15))
  const [kanji = '', kana = ''] = [parent.body.nameKanji.split('\u3000')[0], parent.body.nameKana.split('\u3000')[0]]
  const child = scene.register.newPerson(scene.rng, scene.sender, { birthDate, surname: { kanji, kana }, on: scene.today })
  const body = withGaijiFlag({
    ...child.body,
    address: parent.body.address,
    oazaCode: parent.body.oazaCode,
    addressGaijiCount: parent.body.addressGaijiCount,
    addressGaijiSerial: parent.body.addressGaijiCount > 0 ? 1 : 0,
    nameGaijiSerial: countGaiji(child.body.nameKanji) > 0 ? 1 : 0
  })
  save(scene, child, { body, lastReason: ChangeReason.SHUSSEI })
  return identityEvent('SHUSSEI', body, ChangeReason.SHUSSEI, birthDate)
}

/** A removal: 死亡 (the oldest of a few candidates: deaths follow age), 国外転出, 職権消除. */
function removal (scene: Scene, reason: ChangeReason, label: string, candidates: number): Built | undefined {
  let chosen: PersonState | undefined
  for (let i = 0; i < candidates; i++) {
    const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
    if (s !== undefined && (chosen === undefined || s.body.birthDate < chosen.body.birthDate)) chosen = s
  }
  if (chosen === undefined) return undefined
  const date = changeDate(scene, chosen.body.birthDate)
  save(scene, chosen, { status: 'removed', lastReason: reason })
  return identityEvent(label, chosen.body, reason, date)
}

export function shibou (scene: Scene): Built | undefined {
  return removal(scene, ChangeReason.SHIBOU, 'SHIBOU', 4)
}

export function kokugaiTenshutsu (scene: Scene): Built | undefined {
  return removal(scene, ChangeReason.KOKUGAI_TENSHUTSU, 'KOKUGAI_TENSHUTSU', 1)
}

export function shokkenShojo (scene: Scene): Built | undefined {
  return removal(scene, ChangeReason.SHOKKEN_SHOJO, 'SHOKKEN_SHOJO', 1)
}

/** 職権修正: a birth date entered a few days late, or a mistaken address, corrected ex officio. */
export function shokkenShusei (scene: Scene): Built | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
  if (s === undefined) return undefined
  const body = scene.rng.chance(0.5)
    ? { ...s.body, birthDate: fromDays(toDays(s.body.birthDate) - 1 - scene.rng.int(3)) }
    : newAddress(scene, s.body, scene.sender)
  save(scene, s, { body, lastReason: ChangeReason.SHOKKEN_SHUSEI })
  return identityEvent('SHOKKEN_SHUSEI', body, ChangeReason.SHOKKEN_SHUSEI, changeDate(scene, body.birthDate))
}

/** 氏名等の変更: a new surname (marriage, divorce); sometimes the old one is recorded as 旧氏. */
export function shimeiHenko (scene: Scene): Built | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code, (p) => p.body.birthDate < fromDays(toDays(scene.today) - 18 * 365))
  if (s === undefined) return undefined
  const [oldKanji = '', given = ''] = s.body.nameKanji.split('\u3000')
  const [oldKana = '', givenKana = ''] = s.body.nameKana.split('\u3000')
  const surname = pickOtherSurname(scene.rng, oldKanji)
  const nameKanji = `${surname.kanji}\u3000${given}`
  let body: PersonBody = { ...s.body, nameKanji, nameKana: `${surname.kana}\u3000${givenKana}`, nameGaijiCount: countGaiji(nameKanji) }
  if (s.body.kyuujiKanji === '' && scene.rng.chance(0.4)) {
    body = { ...body, kyuujiKanji: oldKanji, kyuujiKana: oldKana, kyuujiGaijiCount: countGaiji(oldKanji) }
  }
  body = withGaijiFlag(body)
  save(scene, s, { body, lastReason: ChangeReason.SHIMEI_TO_HENKO })
  return identityEvent('SHIMEI_TO_HENKO', body, ChangeReason.SHIMEI_TO_HENKO, changeDate(scene, body.birthDate))
}

/** 住民票コード変更 (住基法30条の4): a new code, never issued before; the old one is retired. */
export function juminhyoCodeHenko (scene: Scene): Built | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
  if (s === undefined) return undefined
  const previous = s.body.juminhyoCode
  const body = { ...s.body, juminhyoCode: scene.register.reissueJuminhyoCode() }
  save(scene, s, { body, lastReason: ChangeReason.JUMINHYO_CODE_HENKO })
  return identityEvent('JUMINHYO_CODE_HENKO', body, ChangeReason.JUMINHYO_CODE_HENKO, changeDate(scene, body.birthDate), previous)
}

/** 個人番号変更 (番号法7条2項): a new number, never issued before. */
export function kojinBangoHenko (scene: Scene): Built | undefined {
  const s = scene.register.pickCurrent(scene.rng, scene.sender.code)
  if (s === undefined) return undefined
  const body = { ...s.body, kojinBango: scene.register.reissueKojinBango() }
  save(scene, s, { body, lastReason: ChangeReason.KOJIN_BANGO_HENKO })
  return identityEvent('KOJIN_BANGO_HENKO', body, ChangeReason.KOJIN_BANGO_HENKO, changeDate(scene, body.birthDate))
}

/** 消除の回復: undoes a removal this municipality recorded (not one whose 転入 elsewhere is pending). */
export function shojoKaifuku (scene: Scene): Built | undefined {
  const s = scene.register.pickRemoved(scene.rng, scene.sender.code, (p) => !p.pendingMove)
  if (s === undefined) return undefined
  save(scene, s, { status: 'current', lastReason: ChangeReason.SHOJO_KAIFUKU })
  return identityEvent('SHOJO_KAIFUKU', s.body, ChangeReason.SHOJO_KAIFUKU, changeDate(scene, s.body.birthDate))
}

/** The 附票 body of a person, kept by `manager` (the municipality of the 本籍). */
export function fuhyoOf (s: PersonState, manager: string, notice: FuhyoNotice, date: string, juminhyoCode = s.body.juminhyoCode): FuhyoUpdate {
  const b = s.body
  return {
    juminhyoCode,
    nameKanji: b.nameKanji,
    nameGaijiCount: b.nameGaijiCount,
    nameKana: b.nameKana,
    birthDate: b.birthDate,
    sex: b.sex,
    addressMunicipalityCode: s.municipalityCode,
    address: b.address,
    addressGaijiCount: b.addressGaijiCount,
    lastAddress: '',
    lastAddressGaijiCount: 0,
    changeDate: date,
    previousJuminhyoCode: '',
    fuhyoMunicipalityCode: manager,
    state: FuhyoState.CURRENT,
    gaijiFlag: b.nameGaijiCount + b.addressGaijiCount > 0,
    gaijiPattern: '',
    notice
  }
}

/** 附票 新規: the sender, as 本籍地, opens the 附票 of a resident of anywhere in the prefecture. */
export function fuhyoNew (scene: Scene): Built | undefined {
  const s = scene.register.pickAnyCurrent(scene.rng, (p) => !scene.register.fuhyo.has(p.body.juminhyoCode))
  if (s === undefined) return undefined
  scene.register.saveFuhyo({ juminhyoCode: s.body.juminhyoCode, index: s.index, manager: scene.sender.code, state: FuhyoState.CURRENT })
  return { label: 'FUHYO_NEW', body: { fuhyo: fuhyoOf(s, scene.sender.code, FuhyoNotice.NEW, changeDate(scene, s.body.birthDate)) } }
}

/** 附票 変更: a 附票 the sender keeps, brought up to date with where the person lives now. */
export function fuhyoChange (scene: Scene): Built | undefined {
  const f = scene.register.pickFuhyo(scene.rng, scene.sender.code)
  if (f === undefined) return undefined
  const s = scene.register.state(f.index)
  return { label: 'FUHYO_CHANGE', body: { fuhyo: fuhyoOf(s, f.manager, FuhyoNotice.CHANGE, changeDate(scene, s.body.birthDate), f.juminhyoCode) } }
}

/**
 * The mix of kinds (relative weights). 転居 and 転出/転入 dominate (the scheduled 転入 of moves
 * within the prefecture add about as many again as 転入 from outside), then deaths and births;
 * 職権 acts, code changes and 消除の回復 are rare — the shape of a municipality's yearly 異動 counts.
 */
export const VALID_MIX: ReadonlyArray<readonly [(scene: Scene) => Built | undefined, number]> = [
  [tenkyo, 30],
  [tenshutsu, 22],
  [tennyuFromOutside, 10],
  [shibou, 9],
  [shussei, 5],
  [shimeiHenko, 3],
  [fuhyoNew, 2],
  [fuhyoChange, 1],
  [shokkenShusei, 1.5],
  [kokugaiTenshutsu, 1.2],
  [kokugaiTennyu, 1.2],
  [shokkenShojo, 0.8],
  [shokkenKisai, 0.5],
  [juminhyoCodeHenko, 0.3],
  [kojinBangoHenko, 0.3],
  [shojoKaifuku, 0.3]
]
