// The statistics report names its issuer (A6.7 報告書): the prefecture the store is configured for
// (prefecture.name, carried in StatisticsReport.prefecture_name), not a generic header. poppler's
// pdftotext, not our code, reads the PDF served over real HTTPS.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir } from '../../unit/store/helpers.ts'
import { startReportTerminal } from './report-terminal.ts'

t.test('the statistics PDF\'s header names the configured prefecture', async (t) => {
  const dir = tempDir(t)
  const term = await startReportTerminal(dir, { prefectureName: '群馬県' })
  t.teardown(async () => await term.close())
  const json = await term.request('AU001', 'GET', '/api/statistics?month=2026-06')
  t.equal(json.status, 200)
  t.equal(json.json.prefectureName, '群馬県', 'the JSON answer carries it too')
  const pdf = await term.request('AU001', 'GET', '/api/statistics.pdf?month=2026-06')
  t.equal(pdf.status, 200)
  const file = path.join(dir, 'statistics.pdf')
  writeFileSync(file, pdf.body)
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8')
  t.match(text, /群馬県\s+都道府県サーバ（住民基本台帳ネットワークシステム）/)
  t.notOk(text.includes('福岡県'), 'not the default prefecture')
})
