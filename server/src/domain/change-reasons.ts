/**
 * The 異動事由 of SPEC §2.4 grouped by what they do to the prefectural file. The kinds are those the
 * CS side knows (001 全項目評価書 別添1: 転入・転出・転居・出生・死亡・職権記載/消除/修正, 特例転入 under
 * 住基法24条の2, 国外転出/国外からの転入, 住民票コード変更 30条の4, 個人番号変更 番号法7条2項).
 */
import { ChangeReason } from '../../../proto/src/types.ts'

/** What an 異動事由 does to a resident's record. */
export type ChangeKind =
  /** Enters a person on the register (creates, or re-creates a removed record). */
  | 'create'
  /** Removes a current resident (the record is kept as 消除者 for 150 years, SPEC §2.5). */
  | 'remove'
  /** 転居: a new address within the same municipality, nothing else. */
  | 'tenkyo'
  /** Corrects or changes items of a current resident. */
  | 'modify'
  /** 消除の回復: undoes a removal. */
  | 'restore'
  /** 住民票コード変更: the record moves to a new 住民票コード. */
  | 'juminhyo-code'
  /** 個人番号変更: a new 個人番号. */
  | 'kojin-bango'

/** Kind of every defined 異動事由 (UNSPECIFIED has none: it is refused by validation). */
export const CHANGE_KINDS: Readonly<Record<Exclude<ChangeReason, 0>, ChangeKind>> = {
  [ChangeReason.TENNYU]: 'create',
  [ChangeReason.TOKUREI_TENNYU]: 'create',
  [ChangeReason.SHUSSEI]: 'create',
  [ChangeReason.SHOKKEN_KISAI]: 'create',
  [ChangeReason.KOKUGAI_TENNYU]: 'create',
  [ChangeReason.TENSHUTSU]: 'remove',
  [ChangeReason.TOKUREI_TENSHUTSU]: 'remove',
  [ChangeReason.SHIBOU]: 'remove',
  [ChangeReason.SHOKKEN_SHOJO]: 'remove',
  [ChangeReason.KOKUGAI_TENSHUTSU]: 'remove',
  [ChangeReason.TENKYO]: 'tenkyo',
  [ChangeReason.SHOKKEN_SHUSEI]: 'modify',
  [ChangeReason.SHIMEI_TO_HENKO]: 'modify',
  [ChangeReason.SHOJO_KAIFUKU]: 'restore',
  [ChangeReason.JUMINHYO_CODE_HENKO]: 'juminhyo-code',
  [ChangeReason.KOJIN_BANGO_HENKO]: 'kojin-bango'
}

/** The kind of `reason`, or undefined for UNSPECIFIED and values the contract does not define. */
export function changeKindOf (reason: number): ChangeKind | undefined {
  return Object.hasOwn(CHANGE_KINDS, reason) ? CHANGE_KINDS[reason as Exclude<ChangeReason, 0>] : undefined
}

/**
 * Creating events that move a person in from another municipality of Japan. Only these may take over
 * a record that is still current in another municipality of the prefecture (transition.ts, "転入 before
 * 転出"). 出生 and 国外からの転入 never can: a newborn or a person arriving from abroad is current nowhere.
 */
export const MOVING_IN: ReadonlySet<ChangeReason> = new Set([ChangeReason.TENNYU, ChangeReason.TOKUREI_TENNYU, ChangeReason.SHOKKEN_KISAI])
