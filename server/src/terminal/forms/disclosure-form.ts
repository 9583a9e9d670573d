/**
 * The store's disclosure answer (disclosure.proto DisclosureAnswer) as the printed form's data
 * (disclosure-pdf.ts) and as the screen shows it: item codes back to the record's values, dates to
 * JST days, the identity document and the items in Japanese (A4.1, A4.3).
 */
import { ChangeReason, IdentityDocument, Sex, type DisclosureAnswer } from '../../../../proto/src/types.ts'
import { jstDateOf } from '../../domain/retention.ts'
import { ITEMS } from '../../store/terminal/purposes.ts'
import type { DisclosedRecord, DisclosureForm, ProvisionRow } from './disclosure-pdf.ts'

/** The identity documents of the fixed list (disclosure.proto IdentityDocument), as the form names them. */
export const DOCUMENT_LABELS: Readonly<Record<number, string>> = {
  [IdentityDocument.MY_NUMBER_CARD]: '個人番号カード',
  [IdentityDocument.DRIVING_LICENCE]: '運転免許証',
  [IdentityDocument.PASSPORT]: '旅券',
  [IdentityDocument.RESIDENCE_CARD]: '在留カード・特別永住者証明書',
  [IdentityDocument.TWO_DOCUMENTS]: '健康保険証等の書類2点'
}

/** The API's names of the documents and media (the console's and ken-term's values). */
export const DOCUMENT_CODES = { 'my-number-card': IdentityDocument.MY_NUMBER_CARD, 'driving-licence': IdentityDocument.DRIVING_LICENCE, passport: IdentityDocument.PASSPORT, 'residence-card': IdentityDocument.RESIDENCE_CARD, 'two-documents': IdentityDocument.TWO_DOCUMENTS } as const
export type DocumentCode = keyof typeof DOCUMENT_CODES

const KIND_LABELS: Readonly<Record<string, string>> = { teikyo: '提供', iten: '移転' }

/** The record's values by item name. */
export function itemMap (answer: DisclosureAnswer): Record<string, string> {
  return Object.fromEntries(answer.items.map((i) => [i.item, i.value]))
}

export function disclosedRecord (answer: DisclosureAnswer): DisclosedRecord {
  const v = itemMap(answer)
  const reason = (ChangeReason as Readonly<Record<string, number>>)[v.changeReason ?? '']
  return {
    juminhyoCode: v.juminhyoCode ?? '',
    nameKanji: v.name ?? '',
    nameKana: v.nameKana ?? '',
    birthDate: v.birthDate ?? '',
    sex: v.sex === 'male' ? Sex.MALE : v.sex === 'female' ? Sex.FEMALE : Sex.UNSPECIFIED,
    address: v.address ?? '',
    kojinBango: v.kojinBango ?? '',
    changeReason: (reason ?? ChangeReason.UNSPECIFIED) as DisclosedRecord['changeReason'],
    changeDate: v.changeDate ?? '',
    kyuujiKanji: ''
  }
}

/** One 提供状況 row: the day (JST), the recipient, the 事務 and the items in Japanese. */
export function provisionRows (answer: DisclosureAnswer): ProvisionRow[] {
  return answer.provisions.map((p) => ({
    date: jstDateOf(new Date(p.recordedAt)),
    recipient: `${p.recipientName}（${KIND_LABELS[p.kind] ?? p.kind}）`,
    purpose: p.purposeTitle,
    items: p.items.map((i) => (ITEMS as Readonly<Record<string, string>>)[i] ?? i)
  }))
}

/** The printed form's data. `documentReference` is the request form number the clerk entered. */
export function disclosureForm (answer: DisclosureAnswer, documentReference: string): DisclosureForm {
  return {
    prefectureName: answer.prefectureName,
    referenceNumber: answer.referenceNumber,
    issuedOn: answer.issuedOn,
    verification: `${DOCUMENT_LABELS[answer.document] ?? ''}（請求書番号 ${documentReference}）`,
    record: disclosedRecord(answer),
    provisions: provisionRows(answer)
  }
}
