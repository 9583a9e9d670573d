// The disclosure form (住基法30条の32, SPEC §6) judged by poppler, an implementation not ours: A4, the
// Japanese text extractable, 和暦 dates, the provision rows, page numbers, 外字 as 〓 with a note,
// and the font embedded as a subset.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { ChangeReason, Stream } from '../../../proto/src/types.ts'
import type { ResidentRecord } from '../../../server/src/domain/records.ts'
import { renderDisclosurePdf, type ProvisionRow } from '../../../server/src/terminal/forms/disclosure-pdf.ts'
import { JapaneseFont } from '../../../server/src/terminal/forms/japanese-font.ts'
import { person, tempDir } from '../store/helpers.ts'

const GAIJI = '\uE123'
const record: ResidentRecord = {
  ...person(3, { nameKanji: `髙${GAIJI}花子`, changeReason: ChangeReason.TENKYO, changeDate: '2019-05-01', birthDate: '1989-01-07' }),
  municipalityCode: '401307', status: 'current', seionKana: 'タカハシハナコ', notifiedDate: '2019-05-02', deleted: false, retentionOnly: false,
  sequence: 1, stream: Stream.NORMAL, operatorId: 'OP1', terminalId: 'T1', timestamp: '2019-05-01T10:00:00+09:00'
}
const provisions: ProvisionRow[] = Array.from({ length: 40 }, (_, i) => ({
  date: `2026-${String((i % 12) + 1).padStart(2, '0')}-15`,
  recipient: i % 2 === 0 ? '福岡県保健医療介護部' : '福岡県教育委員会',
  purpose: `別表第六 第${i + 1}号の事務`,
  items: ['氏名', '住所', '生年月日', '性別']
}))

t.test('poppler reads an A4 Japanese form with 和暦 dates, the provisions, page numbers and 〓 for 外字', async (t) => {
  const pdf = await renderDisclosurePdf({ prefectureName: '福岡県', referenceNumber: '開示-2026-000123', issuedOn: '2026-11-29', verification: '運転免許証', record, provisions })
  const dir = tempDir(t, 'ken-pdf-')
  const file = path.join(dir, 'disclosure.pdf')
  writeFileSync(file, pdf)
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  t.match(info, /Page size:\s+595\.28 x 841\.89 pts \(A4\)/)
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
  t.ok(pages >= 2, `${pages} pages`)
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  for (const needle of ['本人確認情報開示書', '開示-2026-000123', '令和8年11月29日', '福岡県知事', `髙〓花子`, '昭和64年1月7日', '令和元年5月1日', '転居', record.kojinBango, '福岡県教育委員会', '別表第六 第40号の事務', '〓は、印字できない文字（外字）']) {
    t.ok(text.includes(needle), needle)
  }
  for (let i = 1; i <= pages; i++) t.match(text, new RegExp(`\\b${i}\\s*/\\s*${pages}\\b`), `page number ${i} / ${pages}`)
  t.notOk(text.includes(GAIJI), 'the 外字 code point itself is not printed')
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' })
  t.match(fonts, /\+IPAexMincho.*yes\s+yes/, 'embedded as a subset')
  const out = path.resolve('test-output/forms')
  mkdirSync(out, { recursive: true })
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, path.join(out, 'disclosure')])
})

t.test('no provision, no 外字: the form says so and carries no note', async (t) => {
  const pdf = await renderDisclosurePdf({ prefectureName: '福岡県', referenceNumber: 'R-1', issuedOn: '2026-11-29', verification: 'マイナンバーカード', record: { ...record, nameKanji: '高橋花子' }, provisions: [] })
  const dir = tempDir(t, 'ken-pdf-')
  const file = path.join(dir, 'd.pdf')
  writeFileSync(file, pdf)
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  t.ok(text.includes('提供の記録はありません'))
  t.notOk(text.includes('〓'))
  t.match(text, /\b1\s*\/\s*1\b/)
})

t.test('refusals', async (t) => {
  await t.rejects(renderDisclosurePdf({ prefectureName: '', referenceNumber: 'R', issuedOn: '2026-11-29', verification: '', record, provisions: [] }), { code: 'KEN_ERR_FORM_INPUT' })
  t.throws(() => new JapaneseFont('/nonexistent/font.ttf'), { code: 'KEN_ERR_FORM_FONT' })
})
