/** The words of the statistics, review and bulk-provision screens (issue 14 items 3–5), ja and en. */
import type { Lang } from '../request-context.ts'

const JA = {
  month: '対象月', show: '表示', csv: 'CSV ダウンロード', pdf: 'PDF 報告書', noRows: '該当なし', from: '期間（開始）', to: '期間（終了）', actor: '操作者',
  terminal: '端末', kind: '操作', purpose: '利用事務', flaggedOnly: '注意のあるもののみ', filter: '絞り込み', position: '記録番号', at: '日時（日本時間）',
  role: '役割', refused: '拒否', count: '件数', note: '備考', flags: '注意', truncated: '件数が上限を超えました。条件を絞り込んでください。',
  sample: '年次点検用の無作為抽出', fiscalYear: '年度', size: '抽出件数', seed: 'シード（再現する場合）', upTo: '対象の最終記録番号（再現する場合）', doSample: '抽出',
  population: '母集団', approve: '一括提供の事前承認', requester: '申請者（操作者ID）', recipient: '提供先', recipientKey: '提供先の公開鍵（age1…）',
  expected: '予定件数', expires: '有効期限', reference: '依頼文書番号', doApprove: '承認', run: '一括提供の実行', approvalId: '承認番号', medium: '媒体',
  conditions: '検索条件ファイル（CSV）', doRun: '実行して暗号化ファイルを出力', approved: '承認しました。承認番号',
  'flag_off-hours': '時間外', flag_volume: '大量', 'flag_fuzzy-no-view': 'あいまい検索・未表示', 'flag_repeated-refusals': '拒否の反復'
}
type Words = typeof JA
const EN: Words = {
  month: 'Month', show: 'Show', csv: 'Download CSV', pdf: 'PDF report', noRows: 'None', from: 'From', to: 'To', actor: 'Operator',
  terminal: 'Terminal', kind: 'Act', purpose: 'Purpose', flaggedOnly: 'Flagged only', filter: 'Filter', position: 'Log position', at: 'Time (Japan)',
  role: 'Role', refused: 'Refused', count: 'Count', note: 'Note', flags: 'Flags', truncated: 'More rows matched than shown. Narrow the filters.',
  sample: 'Random sample for the yearly check', fiscalYear: 'Fiscal year', size: 'Sample size', seed: 'Seed (to reproduce)', upTo: 'Last log position (to reproduce)', doSample: 'Draw',
  population: 'Population', approve: 'Approve a bulk provision', requester: 'Requester (operator ID)', recipient: 'Recipient', recipientKey: 'Recipient public key (age1…)',
  expected: 'Expected count', expires: 'Expires', reference: 'Request document no.', doApprove: 'Approve', run: 'Run a bulk provision', approvalId: 'Approval ID', medium: 'Medium',
  conditions: 'Conditions file (CSV)', doRun: 'Run and output the encrypted file', approved: 'Approved. Approval ID',
  'flag_off-hours': 'Off hours', flag_volume: 'Volume', 'flag_fuzzy-no-view': 'Fuzzy, nothing opened', 'flag_repeated-refusals': 'Repeated refusals'
}

export type ReportWord = keyof Words

export function reportWords (lang: Lang): Words {
  return lang === 'en' ? EN : JA
}
