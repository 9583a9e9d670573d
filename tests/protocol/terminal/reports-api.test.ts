// ken-terminal's bulk provision, statistics and review over real HTTPS (requirements H12–H16, H18):
// the approved job answers with an age file that Debian `age` opens; the statistics PDF is A4 and
// holds the Japanese tables for poppler; an operator has no export route at all (H13); the auditor
// gets no resident route and no resident's data in any review answer.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { writeCsv } from '../../../server/src/terminal/bulk/csv.ts'
import { juminhyoCode, person, tempDir } from '../../unit/store/helpers.ts'
import { startReportTerminal } from './report-terminal.ts'

const RESIDENTS = 40

t.test('bulk provision, statistics and review through the HTTPS API', async (t) => {
  const dir = tempDir(t)
  const term = await startReportTerminal(dir)
  t.teardown(async () => await term.close())
  const f = term.fixture

  // A clerk's searches first, so the month and the review have something to show.
  for (const i of [1, 2]) await term.request('OP001', 'POST', '/api/search', { purpose: 'B5-RYOKEN', name: person(i).nameKanji, address: person(i).address })

  const identity = path.join(dir, 'recipient.key')
  execFileSync('age-keygen', ['-o', identity], { stdio: 'pipe' })
  const recipientKey = /public key: (age1[0-9a-z]+)/.exec(readFileSync(identity, 'utf8'))?.[1] ?? ''
  const approval = await term.request('AD001', 'POST', '/api/bulk/approvals', { requester: 'BA002', recipient: 'R-RYOKEN', recipientKey, purpose: 'B5-RYOKEN', expectedCount: 2, expires: '2026-06-05', reason: 'DOC-1' })
  t.equal(approval.status, 200)
  const approvalId = Number(approval.json.approvalId)
  const csv = writeCsv([['住民票コード'], [juminhyoCode(11)], [juminhyoCode(12)]])
  t.equal((await term.request('BA002', 'POST', '/api/bulk/run', { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', csv: writeCsv([['氏名'], ['山田']]) })).json.code, 'KEN_ERR_FORM_INPUT', 'a condition short of the 2-of-3 rule: refused before the store')
  const run = await term.request('BA002', 'POST', '/api/bulk/run', { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', csv })
  t.equal(run.status, 200)
  t.equal(run.headers['x-ken-sha256'], createHash('sha256').update(run.body).digest('hex'))
  t.equal(run.headers['x-ken-records'], '2')
  const file = path.join(dir, 'result.age')
  writeFileSync(file, run.body)
  const plain = execFileSync('age', ['-d', '-i', identity, file]).toString('utf8')
  t.ok(plain.includes(person(11).nameKanji) && plain.includes(person(12).nameKanji), 'age opens the file; it holds the persons asked for')
  t.equal((await term.request('BA002', 'POST', '/api/bulk/run', { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', csv })).json.code, 'KEN_ERR_TERM_BULK_APPROVAL_USED')

  // H13: an operator has no export or copy anywhere in the API.
  const operatorTries = [
    await term.request('OP001', 'POST', '/api/bulk/run', { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', csv }),
    await term.request('OP001', 'POST', '/api/bulk/approvals', { requester: 'OP001', recipient: 'R-RYOKEN', recipientKey, purpose: 'B5-RYOKEN', expectedCount: 2, expires: '2026-06-05' }),
    await term.request('OP001', 'GET', '/api/statistics.csv?month=2026-06'),
    await term.request('OP001', 'GET', '/api/statistics.pdf?month=2026-06'),
    await term.request('OP001', 'GET', '/api/review/sample?fiscalYear=2026&size=5&format=csv'),
    await term.request('OP001', 'GET', '/api/review')
  ]
  t.same(operatorTries.map((r) => [r.status, r.json.code]), Array(6).fill([403, 'KEN_ERR_TERM_ROLE_FORBIDDEN']))

  // Statistics: JSON, CSV, and a PDF that poppler reads as A4 with the Japanese tables.
  const stats = await term.request('AU001', 'GET', '/api/statistics?month=2026-06&reason=M-6')
  t.equal(stats.status, 200)
  const csvOut = await term.request('SO001', 'GET', '/api/statistics.csv?month=2026-06')
  t.ok(csvOut.body.toString('utf8').startsWith('\uFEFF対象月,帳票'), 'CSV with a BOM for spreadsheet software')
  t.match(csvOut.body.toString('utf8'), /情報提供業務利用状況一覧表（操作者別）,OP001,,,利用,2/)
  const pdf = await term.request('AU001', 'GET', '/api/statistics.pdf?month=2026-06')
  t.equal(pdf.headers['content-type'], 'application/pdf')
  const pdfFile = path.join(dir, 'statistics.pdf')
  writeFileSync(pdfFile, pdf.body)
  t.match(execFileSync('pdfinfo', [pdfFile]).toString('utf8'), /Page size:\s+595\.28 x 841\.89 pts \(A4\)/)
  const text = execFileSync('pdftotext', ['-layout', pdfFile, '-']).toString('utf8')
  for (const s of ['統計報告書', '提供事務区分別本人確認情報提供件数一覧表', '情報提供業務利用状況一覧表', 'OP001']) t.ok(text.includes(s), `pdftotext shows ${s}`)
  t.match(text, /福岡県\s+都道府県サーバ/, 'the issuer: the configured prefecture (the default)')
  t.match(text, /1\s*\/\s*1/, 'page numbers')

  // The auditor: the history, never a resident.
  const review = await term.request('AU001', 'GET', '/api/review?from=2026-06-01&to=2026-06-01')
  t.equal(review.status, 200)
  t.ok((review.json.rows as unknown[]).length > 5)
  const sample = await term.request('AU001', 'GET', '/api/review/sample?fiscalYear=2026&size=3&format=csv')
  t.equal(sample.status, 200)
  t.match(sample.headers['content-disposition'], /review-sample-2026-[0-9a-f]{32}\.csv/)
  const seen = [review.body, sample.body, stats.body, csvOut.body, Buffer.from(text)].map((b) => b.toString('utf8')).join('\n')
  const personal = Array.from({ length: RESIDENTS }, (_, i) => person(i)).flatMap((p) => [p.nameKanji, p.nameKana, p.juminhyoCode, p.kojinBango, p.address])
  t.same(personal.filter((v) => seen.includes(v)), [], 'no resident\'s name, kana, address or number in what a reviewer receives')

  const residentRoutes: Array<[string, string, unknown]> = [
    ['POST', '/api/search', { purpose: 'B5-RYOKEN', juminhyoCode: juminhyoCode(1) }],
    ['POST', '/api/view', { purpose: 'B5-RYOKEN', ref: 'r-1' }],
    ['POST', '/api/provide', { purpose: 'B5-RYOKEN', kind: 'iten', recipient: 'R-RYOKEN', refs: ['r-1'], items: ['name'], channel: 'terminal' }],
    ['POST', '/api/bulk/run', { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', csv }],
    // 開示 and 訂正 (issue 14 items 1–2) are residents' records too: not the reviewer's
    ['POST', '/api/disclosure', { purpose: 'K-KAIJI', ref: 'r-1', document: 'passport', documentReference: 'KJ-1', medium: 'screen' }],
    ['POST', '/api/corrections/step', { purpose: 'K-TEISEI', kind: 'receive', ref: 'r-1', text: '氏名の誤り' }],
    ['GET', '/api/corrections?purpose=K-TEISEI', undefined],
    ['GET', '/corrections', undefined],
    ['GET', '/search', undefined],
    ['POST', '/search', { purpose: 'B5-RYOKEN', juminhyoCode: juminhyoCode(1), kojinBango: '', name: '', address: '', birthDate: '', sex: '' }],
    ['POST', '/record', { purpose: 'B5-RYOKEN', ref: 'r-1' }],
    ['POST', '/provide', { purpose: 'B5-RYOKEN', ref: 'r-1', kind: 'iten', recipient: 'R-RYOKEN', items: 'name', channel: 'terminal' }],
    ['GET', '/bulk', undefined]
  ]
  for (const id of ['AU001', 'SO001']) {
    for (const [method, route, body] of residentRoutes) {
      const r = await term.request(id, method, route, body)
      // API: 403 with the code; console: redirected away, or the store's refusal on the form's page.
      const page = r.body.toString('utf8')
      const refused = route.startsWith('/api/')
        ? r.status === 403 && r.json.code === 'KEN_ERR_TERM_ROLE_FORBIDDEN'
        : (r.status === 303 && String(r.headers.location).includes('KEN_ERR_TERM_ROLE_FORBIDDEN')) || (r.status === 403 && page.includes('data-code="KEN_ERR_TERM_ROLE_FORBIDDEN"'))
      t.ok(refused, `${id} ${method} ${route} refused (${r.status})`)
      // What the auditor typed may be echoed in the form; nothing else of any resident may appear.
      const typed = JSON.stringify(body ?? {})
      t.same(personal.filter((v) => !typed.includes(v) && page.includes(v)), [], `${id} ${method} ${route}: nothing personal`)
    }
  }
  const acts: string[] = []
  for await (const r of f.store.entries()) if (r.entry.act != null) acts.push(r.entry.act.kind)
  t.ok(['terminal.bulk.approve', 'terminal.bulk.run', 'terminal.statistics', 'terminal.review.query', 'terminal.review.sample'].every((k) => acts.includes(k)), 'each request is an act')
})

t.test('the console: an administrator approves on /bulk, the requester uploads the CSV and receives the age file', async (t) => {
  const dir = tempDir(t)
  const term = await startReportTerminal(dir)
  t.teardown(async () => await term.close())
  const identity = path.join(dir, 'recipient.key')
  execFileSync('age-keygen', ['-o', identity], { stdio: 'pipe' })
  const recipientKey = /public key: (age1[0-9a-z]+)/.exec(readFileSync(identity, 'utf8'))?.[1] ?? ''
  const form = new URLSearchParams({ requester: 'BA002', recipient: 'R-RYOKEN', recipientKey, purpose: 'B5-RYOKEN', expected: '3', expires: '2026-06-10', reference: 'DOC-3' })
  const approved = await term.raw('AD001', 'POST', '/bulk/approve', Buffer.from(form.toString()), 'application/x-www-form-urlencoded')
  t.equal(approved.status, 200)
  const approvalId = /id="notice">[^<]*?(\d+)</.exec(approved.body.toString('utf8'))?.[1] ?? ''
  t.match(approvalId, /^\d+$/)
  const p = person(4)
  const csv = writeCsv([['氏名', '住所'], [p.nameKanji, p.address]])
  const boundary = '----ken-test-boundary'
  const part = (name: string, value: string, file?: string): string => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file === undefined ? '' : `; filename="${file}"\r\nContent-Type: text/csv`}\r\n\r\n${value}\r\n`
  const multipart = Buffer.from(part('approvalId', approvalId) + part('purpose', 'B5-RYOKEN') + part('medium', 'dvd-r') + part('conditions', csv, 'conditions.csv') + `--${boundary}--\r\n`)
  const run = await term.raw('BA002', 'POST', '/bulk/run', multipart, `multipart/form-data; boundary=${boundary}`)
  t.equal(run.status, 200)
  t.match(run.headers['content-disposition'], /attachment; filename="bulk-\d+\.csv\.age"/)
  const file = path.join(dir, 'console-result.age')
  writeFileSync(file, run.body)
  const plain = execFileSync('age', ['-d', '-i', identity, file]).toString('utf8')
  t.ok(plain.includes(p.nameKanji) && plain.includes(p.address))
  const again = await term.raw('BA002', 'POST', '/bulk/run', multipart, `multipart/form-data; boundary=${boundary}`)
  t.equal(again.status, 409)
  t.match(again.body.toString('utf8'), /data-code="KEN_ERR_TERM_BULK_APPROVAL_USED"/)
  const forbidden = await term.raw('OP001', 'POST', '/bulk/run', multipart, `multipart/form-data; boundary=${boundary}`)
  t.equal(forbidden.status, 403, 'an operator has no export (H13)')
  t.match(forbidden.body.toString('utf8'), /data-code="KEN_ERR_TERM_ROLE_FORBIDDEN"/)
  const acts: Array<{ kind: string, actor: string, refused: boolean }> = []
  for await (const r of term.fixture.store.entries()) if (r.entry.act != null) acts.push(r.entry.act)
  t.ok(acts.some((a) => a.kind === 'terminal.bulk.run' && a.actor === 'OP001' && a.refused), 'and the attempt is in the log')
})
