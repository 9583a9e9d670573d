/**
 * The tables of the monthly statistics (SPEC §6; requirements A6.1–A6.5, H14–H16) as the console,
 * the CSV download and the PDF report show them: one definition per table of the store's report
 * (server/src/store/terminal/statistics-ops.ts), so the three outputs cannot disagree.
 */
import { ChangeReason, type StatisticsReport, type StatisticsRow } from '../../../../proto/src/types.ts'
import { changeReasonLabel } from '../../domain/labels.ts'

export interface StatisticsTable {
  readonly id: string
  /** The form's name (帳票名). */
  readonly title: string
  readonly keys: readonly string[]
  /** The value columns shown: count, refused, records. */
  readonly values: ReadonlyArray<{ readonly field: 'count' | 'refused' | 'records', readonly title: string }>
}

export const STATISTICS_TABLES: readonly StatisticsTable[] = [
  { id: 'updates', title: '本人確認情報更新件数（市町村・異動事由別）', keys: ['市町村コード', '異動事由'], values: [{ field: 'count', title: '受付' }, { field: 'refused', title: '拒否' }] },
  { id: 'rejections', title: '更新拒否件数（理由別）', keys: ['理由コード'], values: [{ field: 'count', title: '件数' }] },
  { id: 'provisions', title: '提供事務区分別本人確認情報提供件数一覧表', keys: ['利用事務', '所属', '方式'], values: [{ field: 'count', title: '提供' }, { field: 'refused', title: '拒否' }, { field: 'records', title: '人数' }] },
  { id: 'usage-terminal', title: '情報提供業務利用状況一覧表（端末別）', keys: ['端末'], values: [{ field: 'count', title: '利用' }, { field: 'refused', title: '拒否' }] },
  { id: 'usage-card', title: '情報提供業務利用状況一覧表（カード別）', keys: ['カード', '操作者'], values: [{ field: 'count', title: '利用' }, { field: 'refused', title: '拒否' }] },
  { id: 'usage-operator', title: '情報提供業務利用状況一覧表（操作者別）', keys: ['操作者'], values: [{ field: 'count', title: '利用' }, { field: 'refused', title: '拒否' }] },
  { id: 'mismatches', title: '統計情報不一致リスト', keys: ['市町村コード', 'CS件数', '県サーバ件数'], values: [{ field: 'count', title: '未解決の不一致' }] }
]

const REASONS: Readonly<Record<string, number>> = ChangeReason

/** The keys of a row as shown: 異動事由 by its Japanese label. */
export function shownKeys (table: StatisticsTable, row: StatisticsRow): string[] {
  if (table.id !== 'updates') return [...row.keys]
  const [municipality = '', reason = ''] = row.keys
  const code = REASONS[reason]
  return [municipality, code === undefined ? reason : changeReasonLabel(code)]
}

export function rowsOf (report: StatisticsReport, table: StatisticsTable): StatisticsRow[] {
  return report.rows.filter((r) => r.table === table.id)
}

/** The report as CSV records (header first): 帳票, keys…, 項目, 件数 — one line per value. */
export function statisticsCsvRows (report: StatisticsReport): string[][] {
  const out: string[][] = [['対象月', '帳票', '区分1', '区分2', '区分3', '項目', '件数']]
  for (const table of STATISTICS_TABLES) {
    for (const row of rowsOf(report, table)) {
      const keys = shownKeys(table, row)
      for (const v of table.values) out.push([report.month, table.title, keys[0] ?? '', keys[1] ?? '', keys[2] ?? '', v.title, String(row[v.field])])
    }
  }
  return out
}
