/** The console's names of record items and 異動事由 (SPEC §2.4), in the operator's language. */
import type { RecordItem } from '../../../../proto/src/types.ts'
import { ITEMS } from '../../store/terminal/purposes.ts'
import type { Lang } from '../request-context.ts'
import { words } from './i18n.ts'

const ITEMS_EN: Readonly<Record<string, string>> = {
  juminhyoCode: 'Resident code', name: 'Name', nameKana: 'Reading (kana)', birthDate: 'Date of birth', sex: 'Sex', address: 'Address',
  kojinBango: 'My Number', changeReason: 'Change', changeDate: 'Date of change'
}

const REASONS_JA: Readonly<Record<string, string>> = {
  TENNYU: '転入', TOKUREI_TENNYU: '特例転入', TENSHUTSU: '転出', TOKUREI_TENSHUTSU: '特例転出', TENKYO: '転居', SHUSSEI: '出生', SHIBOU: '死亡',
  SHOKKEN_KISAI: '職権記載', SHOKKEN_SHOJO: '職権消除', SHOKKEN_SHUSEI: '職権修正', KOKUGAI_TENSHUTSU: '国外転出', KOKUGAI_TENNYU: '国外からの転入',
  JUMINHYO_CODE_HENKO: '住民票コード変更', KOJIN_BANGO_HENKO: '個人番号変更', SHIMEI_TO_HENKO: '氏名等の変更', SHOJO_KAIFUKU: '消除の回復'
}

export function itemLabel (lang: Lang, item: string): string {
  const table: Readonly<Record<string, string>> = lang === 'en' ? ITEMS_EN : ITEMS
  return table[item] ?? item
}

export function itemValue (lang: Lang, item: RecordItem): string {
  if (item.item === 'sex' && (item.value === 'male' || item.value === 'female')) return words(lang)[item.value]
  if (item.item === 'changeReason') return lang === 'en' ? item.value.toLowerCase().replaceAll('_', ' ') : REASONS_JA[item.value] ?? item.value
  return item.value
}
