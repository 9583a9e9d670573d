/** The console's words for disclosure (開示) and correction cases (訂正), Japanese and English. */
import type { Lang } from '../request-context.ts'

const JA = {
  discloseHelp: '本人確認書類を確認し、その種類と開示請求書の番号を記録してから開示します。画面での開示は無料、書面（紙）は実費負担です。',
  document: '本人確認書類', documentReference: '開示請求書番号', medium: '開示の方法', screen: '画面（無料）', paperCharged: '書面・PDF（実費）', doDisclose: '開示する',
  referenceNumber: '開示番号', issuedOn: '開示日', provisionHistory: '本人確認情報の提供状況', noProvisions: '開示の対象期間に提供の記録はありません。',
  provisionDate: '提供日', recipientCol: '提供先・移転先', purposeCol: '事務', itemsCol: '提供項目', truncated: '提供の記録が多いため、一部のみ表示しています。',
  receiveHelp: '訂正等の申出を受け付けます。申出の内容は暗号化して記録されます。', requestText: '申出の内容', requestReference: '申出書番号', doReceive: '受け付ける',
  caseId: '案件番号', state: '段階', daysOpen: '経過日数', receivedAt: '受付日時', municipalityCode: '市町村コード', fixedAt: '更新の記録番号', outcome: '結果',
  noCases: '未終結の案件はありません。', steps: '経過', stepKind: '処理', at: '日時', by: '担当者', logPosition: '記録番号',
  doInvestigate: '調査を開始', doRefer: '市町村へ連絡', doUpdated: '市町村の更新を記録', doClose: '終結', corrected: '訂正された', reasonText: '訂正しない理由',
  showAll: 'すべての案件', showOpen: '未終結の案件',
  state_received: '受付', state_investigating: '調査中', state_referred: '市町村へ連絡済み', state_updated: '市町村が更新', state_closed: '終結',
  step_receive: '受付', step_investigate: '調査', step_refer: '市町村へ連絡', step_updated: '市町村の更新', step_close: '終結',
  'outcome_': '', outcome_corrected: '訂正', 'outcome_not-corrected': '訂正せず',
  'doc_my-number-card': '個人番号カード', 'doc_driving-licence': '運転免許証', doc_passport: '旅券', 'doc_residence-card': '在留カード・特別永住者証明書', 'doc_two-documents': '健康保険証等の書類2点'
}
type Words = typeof JA

const EN: Words = {
  discloseHelp: 'Check the requester\'s identity document, record its kind and the request form number, then disclose. On screen is free; on paper is charged at cost.',
  document: 'Identity document', documentReference: 'Request form no.', medium: 'Medium', screen: 'Screen (free)', paperCharged: 'Paper / PDF (charged)', doDisclose: 'Disclose',
  referenceNumber: 'Disclosure no.', issuedOn: 'Date', provisionHistory: 'Provision history', noProvisions: 'No provision is recorded within the retention period.',
  provisionDate: 'Date', recipientCol: 'Recipient', purposeCol: 'Purpose', itemsCol: 'Items', truncated: 'Too many provisions: only a part is shown.',
  receiveHelp: 'Receive a correction request. Its content is recorded sealed.', requestText: 'Request', requestReference: 'Request form no.', doReceive: 'Receive',
  caseId: 'Case', state: 'State', daysOpen: 'Days open', receivedAt: 'Received', municipalityCode: 'Municipality code', fixedAt: 'Update log position', outcome: 'Outcome',
  noCases: 'No open case.', steps: 'Steps', stepKind: 'Step', at: 'When', by: 'By', logPosition: 'Log position',
  doInvestigate: 'Start investigation', doRefer: 'Contact the municipality', doUpdated: 'Record the municipality\'s update', doClose: 'Close', corrected: 'Corrected', reasonText: 'Reason (not corrected)',
  showAll: 'All cases', showOpen: 'Open cases',
  state_received: 'Received', state_investigating: 'Investigating', state_referred: 'Municipality contacted', state_updated: 'Updated by the municipality', state_closed: 'Closed',
  step_receive: 'Receipt', step_investigate: 'Investigation', step_refer: 'Municipality contacted', step_updated: 'Municipality\'s update', step_close: 'Closure',
  'outcome_': '', outcome_corrected: 'Corrected', 'outcome_not-corrected': 'Not corrected',
  'doc_my-number-card': 'My Number card', 'doc_driving-licence': 'Driving licence', doc_passport: 'Passport', 'doc_residence-card': 'Residence card', 'doc_two-documents': 'Two documents (health insurance card etc.)'
}

export type DisclosureWord = keyof Words

export function disclosureWords (lang: Lang): Words {
  return lang === 'en' ? EN : JA
}

/** A word of a family (`state_…`, `step_…`, `doc_…`) by its suffix, or the suffix itself. */
export function wordOf (lang: Lang, prefix: 'state_' | 'step_' | 'outcome_' | 'doc_', key: string): string {
  const table: Readonly<Record<string, string>> = disclosureWords(lang)
  return table[`${prefix}${key}`] ?? key
}
