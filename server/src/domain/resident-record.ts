/**
 * Building the next ResidentRecord from an accepted update, and comparing a record with an update
 * item by item (for 転居 and the "must change something" rule of SPEC §2.4).
 */
import type { IdentityUpdate, Update } from '../../../proto/src/types.ts'
import type { ResidentRecord, ResidentStatus } from './records.ts'
import { toSeionKana } from './kana.ts'

/** The items of a person's record an update may carry new values for (all but the key and the event). */
export type PersonItem = Exclude<keyof IdentityUpdate, 'juminhyoCode' | 'changeReason' | 'changeDate' | 'previousJuminhyoCode'>

/**
 * Every PersonItem with its wire name, in wire order. `satisfies` makes a field added to
 * IdentityUpdate a type error here until someone decides whether 転居 may change it.
 */
export const PERSON_ITEMS = {
  nameKanji: 'identity.name_kanji',
  nameGaijiCount: 'identity.name_gaiji_count',
  nameKana: 'identity.name_kana',
  birthDate: 'identity.birth_date',
  sex: 'identity.sex',
  address: 'identity.address',
  addressGaijiCount: 'identity.address_gaiji_count',
  kojinBango: 'identity.kojin_bango',
  oazaCode: 'identity.oaza_code',
  gaijiFlag: 'identity.gaiji_flag',
  nameGaijiSerial: 'identity.name_gaiji_serial',
  addressGaijiSerial: 'identity.address_gaiji_serial',
  kyuujiKanji: 'identity.kyuuji_kanji',
  kyuujiGaijiCount: 'identity.kyuuji_gaiji_count',
  kyuujiKana: 'identity.kyuuji_kana',
  kyuujiGaijiSerial: 'identity.kyuuji_gaiji_serial'
} as const satisfies Record<PersonItem, string>

/**
 * What a 転居 (a move within the municipality) may change: the address and what describes it
 * (its 外字数 and 住所外字変更連番, the 大字・字コード), and the 外字フラグ that follows from them.
 * Anything else is the assessments' 論理チェック example: "転居を異動事由とする更新の際に住所以外の
 * 更新が行われようとした場合に当該処理をエラーとする" (000/002 §III 正確性確保).
 */
export const TENKYO_MAY_CHANGE: ReadonlySet<PersonItem> = new Set(['address', 'addressGaijiCount', 'addressGaijiSerial', 'oazaCode', 'gaijiFlag'])

/** The PersonItems whose value differs between the record and the update, in wire order. */
export function differingItems (current: ResidentRecord, u: IdentityUpdate): PersonItem[] {
  return (Object.keys(PERSON_ITEMS) as PersonItem[]).filter((k) => current[k] !== u[k])
}

/**
 * The record that an accepted update produces: the CS items of the update, and the items the server
 * derives — 清音化かな氏名, 通知を受けた年月日 (the server's date), 市町村コード (the sender), the status
 * flags (削除フラグ and 保存期間フラグ are set for a removed person, SPEC §2.5), and the 更新順番号,
 * stream, 操作者ID, 操作端末ID and タイムスタンプ of the update. Built field by field so that nothing
 * beyond the 28 items of 別添2 (plus status) ever reaches the store.
 */
export function buildResidentRecord (update: Update, u: IdentityUpdate, municipalityCode: string, today: string, status: ResidentStatus): ResidentRecord {
  const removed = status === 'removed'
  return {
    juminhyoCode: u.juminhyoCode,
    changeReason: u.changeReason,
    changeDate: u.changeDate,
    nameKanji: u.nameKanji,
    nameGaijiCount: u.nameGaijiCount,
    nameKana: u.nameKana,
    birthDate: u.birthDate,
    sex: u.sex,
    address: u.address,
    addressGaijiCount: u.addressGaijiCount,
    kojinBango: u.kojinBango,
    oazaCode: u.oazaCode,
    gaijiFlag: u.gaijiFlag,
    nameGaijiSerial: u.nameGaijiSerial,
    addressGaijiSerial: u.addressGaijiSerial,
    kyuujiKanji: u.kyuujiKanji,
    kyuujiGaijiCount: u.kyuujiGaijiCount,
    kyuujiKana: u.kyuujiKana,
    kyuujiGaijiSerial: u.kyuujiGaijiSerial,
    municipalityCode,
    status,
    seionKana: toSeionKana(u.nameKana),
    notifiedDate: today,
    deleted: removed,
    retentionOnly: removed,
    sequence: update.sequence,
    stream: update.stream,
    operatorId: update.operatorId,
    terminalId: update.terminalId,
    timestamp: update.timestamp
  }
}
