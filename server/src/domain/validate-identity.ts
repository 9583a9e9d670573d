/**
 * Field checks of one 本人確認情報 update on its own (SPEC §2.1, §2.3): the format and code checks the
 * assessments leave to the CS ("入手元である市町村CSにおいて、項目（フォーマット、コード）のチェックを実施する",
 * 000/002 §III) repeated at the prefecture, because the server must not trust the link. The checks run
 * in wire-field order so the first rejection is deterministic.
 */
import { reject } from '../../../proto/src/reason-codes.ts'
import { ChangeReason, type IdentityUpdate } from '../../../proto/src/types.ts'
import { isBefore } from './dates.ts'
import { checkGaiji } from './gaiji.ts'
import { changeKindOf } from './change-reasons.ts'
import { checkText, requireJuminhyoCode, requireKana, requireKojinBango, requirePastDate, requireSex, requireText } from './field-checks.ts'

/** Options of {@link validateIdentity}. */
export interface IdentityCheckOptions {
  readonly juminhyoCheckDigit: boolean
  readonly today: string
  readonly maxTextLength: number
}

const F = (name: string): string => `identity.${name}`

/**
 * Validate an IdentityUpdate.
 * @throws KenError with a KEN_REJECT_* code and the `identity.*` wire field to blame
 */
export function validateIdentity (u: IdentityUpdate, opts: IdentityCheckOptions): void {
  const max = opts.maxTextLength
  requireJuminhyoCode(u.juminhyoCode, F('juminhyo_code'), opts.juminhyoCheckDigit)
  if (changeKindOf(u.changeReason) === undefined) throw reject.KEN_REJECT_BAD_CHANGE_REASON(undefined, { field: F('change_reason') })
  requirePastDate(u.changeDate, F('change_date'), opts.today)
  requireText(u.nameKanji, F('name_kanji'), max)
  requireKana(u.nameKana, F('name_kana'), max)
  requirePastDate(u.birthDate, F('birth_date'), opts.today)
  // A change cannot precede the birth of the person it is about (出生: 異動年月日 = 生年月日).
  if (isBefore(u.changeDate, u.birthDate)) throw reject.KEN_REJECT_DATE_ORDER('change before birth', { field: F('change_date') })
  requireSex(u.sex, F('sex'))
  requireText(u.address, F('address'), max)
  // 番号法7条: every resident has a 個人番号, so every notification carries it (SPEC §2.1).
  requireKojinBango(u.kojinBango, F('kojin_bango'))
  checkText(u.oazaCode, F('oaza_code'), max)
  checkKyuuji(u, max)
  checkGaiji([
    { text: u.nameKanji, declaredCount: u.nameGaijiCount, countField: F('name_gaiji_count') },
    { text: u.address, declaredCount: u.addressGaijiCount, countField: F('address_gaiji_count') },
    { text: u.kyuujiKanji, declaredCount: u.kyuujiGaijiCount, countField: F('kyuuji_gaiji_count') }
  ], u.gaijiFlag, F('gaiji_flag'))
  checkPreviousCode(u, opts.juminhyoCheckDigit)
}

/**
 * 旧氏 (住基法施行令30条の13, 2019 amendment, 別添2 items 25–28): the 漢字 and the ふりがな are recorded
 * together or not at all, and a 旧氏 外字変更連番 without a 旧氏 means nothing.
 */
function checkKyuuji (u: IdentityUpdate, max: number): void {
  if (u.kyuujiKanji === '' && u.kyuujiKana === '') {
    if (u.kyuujiGaijiSerial !== 0) throw reject.KEN_REJECT_UNEXPECTED_FIELD(undefined, { field: F('kyuuji_gaiji_serial') })
    return
  }
  requireText(u.kyuujiKanji, F('kyuuji_kanji'), max)
  requireKana(u.kyuujiKana, F('kyuuji_kana'), max)
}

/**
 * 変更前住民票コード: required, valid and different from the new code for 住民票コード変更 (住基法30条の4);
 * empty for every other 異動事由, so a stray value cannot be mistaken for a code change.
 */
function checkPreviousCode (u: IdentityUpdate, checkDigit: boolean): void {
  const field = F('previous_juminhyo_code')
  if (u.changeReason !== ChangeReason.JUMINHYO_CODE_HENKO) {
    if (u.previousJuminhyoCode !== '') throw reject.KEN_REJECT_UNEXPECTED_FIELD(undefined, { field })
    return
  }
  requireJuminhyoCode(u.previousJuminhyoCode, field, checkDigit)
  if (u.previousJuminhyoCode === u.juminhyoCode) throw reject.KEN_REJECT_NO_CHANGE(undefined, { field })
}
