/**
 * A record as the items a purpose may receive (SPEC §6: "results are limited to the items that purpose
 * may receive"). Values are the stored text; 性別 and 異動事由 are codes the console labels.
 */
import { ChangeReason, Sex, type RecordItem } from '../../../../proto/src/types.ts'
import type { ResidentRecord } from '../../domain/records.ts'
import type { NationalPerson } from './national-query.ts'
import type { Item } from './purposes.ts'

const SEX_NAMES: Readonly<Record<number, string>> = { [Sex.MALE]: 'male', [Sex.FEMALE]: 'female' }
const REASON_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(ChangeReason).map(([name, value]) => [value, name]))

/** Every item of a record, by item name. */
export function recordValues (r: ResidentRecord): Record<Item, string> {
  return {
    juminhyoCode: r.juminhyoCode,
    name: r.nameKanji,
    nameKana: r.nameKana,
    birthDate: r.birthDate,
    sex: SEX_NAMES[r.sex] ?? '',
    address: r.address,
    kojinBango: r.kojinBango,
    changeReason: REASON_NAMES.get(r.changeReason) ?? '',
    changeDate: r.changeDate
  }
}

/** The items the national server answered with (異動事由 and its date are not among them). */
export function nationalValues (p: NationalPerson): Record<Item, string> {
  return {
    juminhyoCode: p.juminhyoCode,
    name: p.nameKanji,
    nameKana: p.nameKana,
    birthDate: p.birthDate,
    sex: SEX_NAMES[p.sex] ?? '',
    address: p.address,
    kojinBango: p.kojinBango,
    changeReason: '',
    changeDate: ''
  }
}

/** Only the `allowed` items, in the order given. */
export function pickItems (values: Record<Item, string>, allowed: readonly Item[]): RecordItem[] {
  return allowed.map((item) => ({ item, value: values[item] }))
}
