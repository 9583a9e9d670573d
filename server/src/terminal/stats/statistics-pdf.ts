/**
 * The monthly statistics report (SPEC §6 "a PDF report"; requirements A6.7 報告書) as an A4 Japanese
 * PDF: every table of statistics-tables.ts with its rows, the month, the log range it was computed
 * from, page numbers. Pure: the report in, PDF bytes out (pdfkit subsets the IPAex/Noto font).
 */
import PDFDocument from 'pdfkit'
import type { StatisticsReport } from '../../../../proto/src/types.ts'
import { JapaneseFont } from '../forms/japanese-font.ts'
import { rowsOf, shownKeys, STATISTICS_TABLES } from './statistics-tables.ts'

const MARGIN = 50
const LINE = 16

export async function renderStatisticsPdf (report: StatisticsReport, prefectureName: string, font: JapaneseFont = new JapaneseFont()): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN }, bufferPages: true, info: { Title: `統計報告書 ${report.month}`, Producer: 'ken-server', Creator: 'ken-terminal' } })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject) })
  doc.font(font.path)
  const p = (s: string): string => font.printable(s).text
  const width = doc.page.width - 2 * MARGIN
  const [year, month] = report.month.split('-')
  doc.fontSize(16).text(`統計報告書（${Number(year)}年${Number(month)}月分）`, { align: 'center' })
  doc.fontSize(10).text(p(prefectureName), { align: 'right' })
  doc.text(`集計対象：操作・更新の記録 ${report.fromPosition}〜${report.toPosition} 番`, { align: 'right' })
  doc.moveDown()
  const bottom = doc.page.height - MARGIN - 2 * LINE
  for (const table of STATISTICS_TABLES) {
    const rows = rowsOf(report, table)
    if (doc.y + 3 * LINE > bottom) doc.addPage()
    doc.fontSize(12).text(table.title, MARGIN, doc.y)
    doc.fontSize(9).moveDown(0.3)
    const columns = [...table.keys, ...table.values.map((v) => v.title)]
    const colWidth = width / columns.length
    const line = (cells: readonly string[]): void => {
      if (doc.y + LINE > bottom) doc.addPage()
      const y = doc.y
      cells.forEach((c, i) => doc.text(c, MARGIN + i * colWidth, y, { width: colWidth - 4, lineBreak: false, ellipsis: true }))
      doc.x = MARGIN
      doc.y = y + LINE
    }
    line(columns)
    doc.moveTo(MARGIN, doc.y - 3).lineTo(MARGIN + width, doc.y - 3).stroke()
    if (rows.length === 0) line(['該当なし'])
    for (const row of rows) line([...shownKeys(table, row).map(p), ...table.values.map((v) => row[v.field].toLocaleString('ja-JP'))])
    doc.moveDown()
  }
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const kept = doc.page.margins.bottom
    doc.page.margins.bottom = 0 // writing inside the margin must not start a new page
    doc.fontSize(9).text(`${i - range.start + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 9, { width, align: 'center' })
    doc.page.margins.bottom = kept
  }
  doc.end()
  return await done
}
