/**
 * The disclosure form (開示, 住基法30条の32; SPEC §6, requirements A4): the resident's own record and
 * the record of to whom it was provided (提供状況), as an A4 Japanese PDF with 和暦 dates, the
 * prefecture's name, a reference number and page numbers. 外字 the font lacks print as 〓 with a note.
 * Pure: data in, PDF bytes out; the terminal records the act and the medium.
 */
import PDFDocument from 'pdfkit'
import type { ResidentRecord } from '../../domain/records.ts'
import { formatWareki } from '../../domain/wareki.ts'
import { changeReasonLabel, SEX_LABELS } from '../../domain/labels.ts'
import { JapaneseFont } from './japanese-font.ts'
import { errors } from './errors.ts'

/** One provision or transfer of the person's record (提供状況). */
export interface ProvisionRow {
  /** When it was provided (ISO date). */
  readonly date: string
  /** To whom: the executive body or department. */
  readonly recipient: string
  /** The business purpose (事務) it was provided for. */
  readonly purpose: string
  /** The items provided, by name. */
  readonly items: readonly string[]
}

/** The items of the record the form prints (住基法30条の32: the person's own 本人確認情報; A4.1). */
export type DisclosedRecord = Pick<ResidentRecord, 'juminhyoCode' | 'nameKanji' | 'nameKana' | 'birthDate' | 'sex' | 'address' | 'kojinBango' | 'changeReason' | 'changeDate' | 'kyuujiKanji'>

export interface DisclosureForm {
  /** 福岡県 … */
  readonly prefectureName: string
  /** The reference number of this disclosure (開示番号). */
  readonly referenceNumber: string
  /** The day the form is issued (ISO date). */
  readonly issuedOn: string
  /** How the requester's identity was verified, as recorded by the clerk. */
  readonly verification: string
  readonly record: DisclosedRecord
  readonly provisions: readonly ProvisionRow[]
}

const A4 = 'A4'
const MARGIN = 56
const LINE = 18

/** Render the form. @throws KEN_ERR_FORM_INPUT, KEN_ERR_FORM_FONT */
export async function renderDisclosurePdf (form: DisclosureForm, font: JapaneseFont = new JapaneseFont()): Promise<Buffer> {
  if (form.prefectureName === '' || form.referenceNumber === '' || form.issuedOn === '') throw errors.KEN_ERR_FORM_INPUT('prefecture, reference and date are required')
  const doc = new PDFDocument({ size: A4, margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN }, bufferPages: true, info: { Title: '本人確認情報開示書', Producer: 'ken-server', Creator: 'ken-terminal' } })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject) })
  doc.font(font.path)
  let gaiji = false
  const p = (s: string): string => { const r = font.printable(s); gaiji ||= r.replaced; return r.text }
  const width = doc.page.width - 2 * MARGIN

  doc.fontSize(16).text('本人確認情報開示書', { align: 'center' })
  doc.moveDown(0.5).fontSize(10)
  doc.text(`開示番号　${p(form.referenceNumber)}`, { align: 'right' })
  doc.text(`${formatWareki(form.issuedOn)}`, { align: 'right' })
  doc.text(`${p(form.prefectureName)}知事`, { align: 'right' })
  doc.moveDown()
  doc.text(`住民基本台帳法第30条の32の規定に基づき、あなたの本人確認情報及びその提供状況を次のとおり開示します。`, { width })
  doc.text(`本人確認の方法：${p(form.verification)}`, { width })
  doc.moveDown()

  const r = form.record
  doc.fontSize(12).text('1　本人確認情報')
  doc.fontSize(10).moveDown(0.3)
  const rows: Array<[string, string]> = [
    ['住民票コード', r.juminhyoCode],
    ['氏名', p(r.nameKanji)],
    ['ふりがな', p(r.nameKana)],
    ['生年月日', formatWareki(r.birthDate)],
    ['性別', SEX_LABELS[r.sex] ?? ''],
    ['住所', p(r.address)],
    ['個人番号', r.kojinBango],
    ['異動事由', changeReasonLabel(r.changeReason)],
    ['異動年月日', formatWareki(r.changeDate)],
    ...(r.kyuujiKanji === '' ? [] : [['旧氏', p(r.kyuujiKanji)] as [string, string]])
  ]
  for (const [label, value] of rows) keyValue(doc, label, value, width)
  doc.moveDown()

  doc.fontSize(12).text('2　本人確認情報の提供状況')
  doc.fontSize(10).moveDown(0.3)
  if (form.provisions.length === 0) doc.text('開示の対象期間に提供の記録はありません。')
  else provisionTable(doc, form.provisions.map((row) => ({ ...row, recipient: p(row.recipient), purpose: p(row.purpose) })), width)
  if (gaiji) {
    doc.moveDown()
    doc.fontSize(9).text('注：〓は、印字できない文字（外字）を示します。', { width })
  }
  pageNumbers(doc)
  doc.end()
  return await done
}

function keyValue (doc: PDFKit.PDFDocument, label: string, value: string, width: number): void {
  const y = doc.y
  doc.text(label, MARGIN, y, { width: 100 })
  doc.text(value === '' ? '—' : value, MARGIN + 110, y, { width: width - 110 })
  doc.x = MARGIN
  doc.y = Math.max(doc.y, y + LINE)
}

const COLUMNS = [
  { title: '提供年月日', width: 100 },
  { title: '提供先', width: 130 },
  { title: '事務', width: 130 },
  { title: '提供項目', width: 123 }
] as const

function provisionTable (doc: PDFKit.PDFDocument, rows: readonly ProvisionRow[], width: number): void {
  const bottom = doc.page.height - MARGIN - 2 * LINE
  const header = (): void => {
    let x = MARGIN
    const y = doc.y
    for (const c of COLUMNS) { doc.text(c.title, x, y, { width: c.width - 6 }); x += c.width }
    doc.moveTo(MARGIN, y + LINE - 4).lineTo(MARGIN + width, y + LINE - 4).stroke()
    doc.x = MARGIN
    doc.y = y + LINE
  }
  header()
  for (const row of rows) {
    const cells = [formatWareki(row.date), row.recipient, row.purpose, row.items.join('、')]
    const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: (COLUMNS[i]?.width ?? 100) - 6 }))) + 6
    if (doc.y + height > bottom) {
      doc.addPage()
      header()
    }
    const y = doc.y
    let x = MARGIN
    cells.forEach((cell, i) => { doc.text(cell, x, y, { width: (COLUMNS[i]?.width ?? 100) - 6 }); x += COLUMNS[i]?.width ?? 100 })
    doc.x = MARGIN
    doc.y = y + height
  }
}

/** "n / N" at the foot of every page. */
function pageNumbers (doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const bottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0 // writing inside the margin must not start a new page
    doc.fontSize(9).text(`${i + 1} / ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 9, { width: doc.page.width - 2 * MARGIN, align: 'center' })
    doc.page.margins.bottom = bottom
  }
}
