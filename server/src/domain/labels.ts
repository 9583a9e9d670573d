/**
 * Japanese names of coded items, for what people read (console, printed forms, CSV): 異動事由
 * (SPEC §2.4) and 性別. The wire carries the codes (proto/ken/v1/common.proto).
 */
import { ChangeReason, Sex } from '../../../proto/src/types.ts'

export const CHANGE_REASON_LABELS: Readonly<Record<ChangeReason, string>> = {
  [ChangeReason.UNSPECIFIED]: '',
  [ChangeReason.TENNYU]: '転入',
  [ChangeReason.TOKUREI_TENNYU]: '特例転入',
  [ChangeReason.TENSHUTSU]: '転出',
  [ChangeReason.TOKUREI_TENSHUTSU]: '特例転出',
  [ChangeReason.TENKYO]: '転居',
  [ChangeReason.SHUSSEI]: '出生',
  [ChangeReason.SHIBOU]: '死亡',
  [ChangeReason.SHOKKEN_KISAI]: '職権記載',
  [ChangeReason.SHOKKEN_SHOJO]: '職権消除',
  [ChangeReason.SHOKKEN_SHUSEI]: '職権修正',
  [ChangeReason.KOKUGAI_TENSHUTSU]: '国外転出',
  [ChangeReason.KOKUGAI_TENNYU]: '国外からの転入',
  [ChangeReason.JUMINHYO_CODE_HENKO]: '住民票コード変更',
  [ChangeReason.KOJIN_BANGO_HENKO]: '個人番号変更',
  [ChangeReason.SHIMEI_TO_HENKO]: '氏名等の変更',
  [ChangeReason.SHOJO_KAIFUKU]: '消除の回復'
}

export const SEX_LABELS: Readonly<Record<Sex, string>> = { [Sex.UNSPECIFIED]: '', [Sex.MALE]: '男', [Sex.FEMALE]: '女' }

/** The label of a change reason (empty for an unknown code). */
export function changeReasonLabel (reason: number): string {
  return Object.hasOwn(CHANGE_REASON_LABELS, reason) ? CHANGE_REASON_LABELS[reason as ChangeReason] : ''
}
