/**
 * Field checks of one 附票本人確認情報 update on its own (SPEC §2.2; 002 別添2 (2) ア, 18 items).
 * The 附票 has no 個人番号 field at all (住基法30条の41以下), so there is nothing to check for it here:
 * the decoder already refuses any field number the contract does not define.
 */
import { reject } from '../../../proto/src/reason-codes.ts'
import { FuhyoNotice, FuhyoState, type FuhyoUpdate } from '../../../proto/src/types.ts'
import { isBefore } from './dates.ts'
import { checkGaiji } from './gaiji.ts'
import { checkText, requireJuminhyoCode, requireKana, requireMunicipalityCode, requirePastDate, requireSex, requireText } from './field-checks.ts'

/** Options of {@link validateFuhyo}. */
export interface FuhyoCheckOptions {
  readonly juminhyoCheckDigit: boolean
  readonly today: string
  readonly maxTextLength: number
}

const F = (name: string): string => `fuhyo.${name}`

/**
 * Validate a FuhyoUpdate.
 * @throws KenError with a KEN_REJECT_* code and the `fuhyo.*` wire field to blame
 */
export function validateFuhyo (u: FuhyoUpdate, opts: FuhyoCheckOptions): void {
  const max = opts.maxTextLength
  requireJuminhyoCode(u.juminhyoCode, F('juminhyo_code'), opts.juminhyoCheckDigit)
  requireText(u.nameKanji, F('name_kanji'), max)
  requireKana(u.nameKana, F('name_kana'), max)
  requirePastDate(u.birthDate, F('birth_date'), opts.today)
  requireSex(u.sex, F('sex'))
  // A person who moved abroad (国外転出者, the reason the 附票 file exists) has no 住所 市町村 in Japan.
  if (u.addressMunicipalityCode !== '') requireMunicipalityCode(u.addressMunicipalityCode, F('address_municipality_code'))
  requireText(u.address, F('address'), max)
  checkText(u.lastAddress, F('last_address'), max)
  requirePastDate(u.changeDate, F('change_date'), opts.today)
  if (isBefore(u.changeDate, u.birthDate)) throw reject.KEN_REJECT_DATE_ORDER('change before birth', { field: F('change_date') })
  if (u.previousJuminhyoCode !== '') {
    requireJuminhyoCode(u.previousJuminhyoCode, F('previous_juminhyo_code'), opts.juminhyoCheckDigit)
    if (u.previousJuminhyoCode === u.juminhyoCode) throw reject.KEN_REJECT_BAD_JUMINHYO_CODE('same as the current code', { field: F('previous_juminhyo_code') })
  }
  requireMunicipalityCode(u.fuhyoMunicipalityCode, F('fuhyo_municipality_code'))
  checkStateAndNotice(u)
  checkGaiji([
    { text: u.nameKanji, declaredCount: u.nameGaijiCount, countField: F('name_gaiji_count') },
    { text: u.address, declaredCount: u.addressGaijiCount, countField: F('address_gaiji_count') },
    { text: u.lastAddress, declaredCount: u.lastAddressGaijiCount, countField: F('last_address_gaiji_count') }
  ], u.gaijiFlag, F('gaiji_flag'))
  checkText(u.gaijiPattern, F('gaiji_pattern'), max)
}

/**
 * 附票本人確認情報状態区分 and 通知区分 agree: a 消除 notice carries the state 消除, and a record in state
 * 消除 arrives only with a 消除 notice (新規 and 変更 describe a 現存 附票).
 */
function checkStateAndNotice (u: FuhyoUpdate): void {
  if (u.state !== FuhyoState.CURRENT && u.state !== FuhyoState.REMOVED) throw reject.KEN_REJECT_BAD_FUHYO_STATE(undefined, { field: F('state') })
  if (u.notice !== FuhyoNotice.NEW && u.notice !== FuhyoNotice.CHANGE && u.notice !== FuhyoNotice.REMOVE) {
    throw reject.KEN_REJECT_BAD_FUHYO_STATE(undefined, { field: F('notice') })
  }
  if ((u.notice === FuhyoNotice.REMOVE) !== (u.state === FuhyoState.REMOVED)) throw reject.KEN_REJECT_BAD_FUHYO_STATE('state and notice disagree', { field: F('state') })
}
