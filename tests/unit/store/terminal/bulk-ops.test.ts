// 一括提供 on the terminal socket (requirements A5.2, A5.3, A5.7, H12, H13): nothing runs without a
// valid prior approval by a second person, and each refusal is an act; the result file is opened by
// Debian `age` with the recipient's identity alone and holds exactly what the conditions ask.
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Sex, type BulkConditionRow, type TerminalResponse } from '../../../../proto/src/types.ts'
import { readBulkConditions } from '../../../../server/src/terminal/bulk/conditions.ts'
import { readCsv, writeCsv } from '../../../../server/src/terminal/bulk/csv.ts'
import { juminhyoCode, kojinBango, person, tempDir } from '../helpers.ts'
import { actsAfter } from './helpers.ts'
import { provisionRows } from '../../../../server/src/store/terminal/disclosure-ops.ts'
import { DEFAULT_REGISTRY } from '../../../../server/src/store/terminal/purposes.ts'
import { makeReportFixture, type ReportFixture } from './report-fixture.ts'

const DAY = 86_400_000

function ageKey (dir: string): { identity: string, recipient: string } {
  const identity = path.join(dir, 'recipient.key')
  execFileSync('age-keygen', ['-o', identity], { stdio: 'pipe' })
  const recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(identity, 'utf8'))?.[1] ?? ''
  return { identity, recipient }
}

function rows (csv: string): BulkConditionRow[] {
  return readBulkConditions(csv, 1000).map((c) => ({ ...c, sex: c.sex === 'male' ? Sex.MALE : c.sex === 'female' ? Sex.FEMALE : Sex.UNSPECIFIED }))
}

async function approve (f: ReportFixture, by: string, requester: string, recipient: string, o: { expected?: number, expires?: string } = {}): Promise<TerminalResponse> {
  return await f.ask({ session: f.sessions[by], bulkApprove: { requester, recipient: 'R-RYOKEN', recipientKey: recipient, purpose: 'B5-RYOKEN', expectedCount: o.expected ?? 4, expires: o.expires ?? '2026-06-08', reason: 'DOC-2026-1' } })
}

const p5 = person(5)
const CONDITIONS = writeCsv([
  ['住民票コード', '個人番号', '氏名', '住所', '生年月日', '性別'],
  [juminhyoCode(3), '', '', '', '', ''],
  ['', '', p5.nameKanji, p5.address, '', ''],
  ['', kojinBango(7), '', '', '', ''],
  [juminhyoCode(999), '', '', '', '', '']
])

t.test('approved by a second administrator, run once by the requester: the file opens with age and matches the conditions', async (t) => {
  const dir = tempDir(t)
  const f = await makeReportFixture(dir)
  t.teardown(async () => await f.store.close())
  const key = ageKey(dir)
  const approval = await approve(f, 'AD001', 'BA002', key.recipient)
  t.equal(approval.errorCode, '')
  const approvalId = approval.logPosition
  const run = await f.ask({ session: f.sessions.BA002, bulkRun: { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', conditions: rows(CONDITIONS) } })
  t.equal(run.errorCode, '')
  const out = run.bulk
  if (out == null) return t.fail('no output')
  t.same([out.approvalId, out.rows, out.records, out.recipient], [approvalId, 4, 3, 'R-RYOKEN'])
  const file = path.join(dir, 'result.age')
  writeFileSync(file, out.file)
  t.ok(readFileSync(file).subarray(0, 21).toString('latin1').startsWith('age-encryption.org/v1'), 'the age format')
  t.equal(createHash('sha256').update(out.file).digest('hex'), out.sha256)
  const plain = execFileSync('age', ['--decrypt', '-i', key.identity, file]).toString('utf8')
  const [header, ...body] = readCsv(plain, 100)
  t.same(header?.slice(0, 4), ['行', '件数', '結果', '氏名'])
  const byRow = (row: string): string[][] => body.filter((r) => r[0] === row)
  t.same(byRow('1').map((r) => r[3]), [person(3).nameKanji])
  t.same(byRow('2').map((r) => [r[3], r[7]]), [[p5.nameKanji, p5.address]])
  t.same(byRow('3').map((r) => r[3]), [person(7).nameKanji])
  t.same(byRow('4').map((r) => r[2]), ['none'])
  t.notOk(plain.includes(kojinBango(7)), 'only the items of the purpose (旅券: no 個人番号)')
  const acts = await actsAfter(f.store, approvalId - 1)
  const [approveAct, runAct] = [acts.find((a) => a.kind === 'terminal.bulk.approve'), acts.find((a) => a.kind === 'terminal.bulk.run')]
  t.match(approveAct, { actor: 'AD001', approver: 'AD001', purpose: 'B5-RYOKEN', refused: false, count: 4 })
  t.match(approveAct?.note, /requester=BA002 recipient=R-RYOKEN expected=4 expires=2026-06-08 key=age1/)
  t.match(runAct, { actor: 'BA002', approver: 'AD001', fromPosition: approvalId, count: 3, refused: false })
  t.match(runAct?.note, new RegExp(`approval=${approvalId} rows=4 records=3 medium=usb recipient=R-RYOKEN sha256=${out.sha256}`))
  t.equal(runAct?.subjects.length, 3, 'the persons output, as blind indexes')
  t.notOk(JSON.stringify(acts.map((a) => a.note)).includes(p5.nameKanji), 'no name in any clear field')
  // The persons handed over see the bulk provision in their 提供状況 (disclosure, 30条の32).
  const history = await f.store.provisionActsOf(juminhyoCode(3), 10)
  t.same(history.records.map((r) => r.position), [run.logPosition], 'the bulk run is in the person\'s provision history')
  t.same(await provisionRows(f.store, DEFAULT_REGISTRY, history.records).then((rs) => rs.map((r) => [r.kind, r.recipient, r.purpose])), [['teikyo', 'R-RYOKEN', 'B5-RYOKEN']])
  // Used: the same approval never runs a second job.
  const again = await f.ask({ session: f.sessions.BA002, bulkRun: { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', conditions: rows(CONDITIONS) } })
  t.equal(again.errorCode, 'KEN_ERR_TERM_BULK_APPROVAL_USED')
})

t.test('refused and recorded: no approval, approved by the requester, expired, used, mismatched; no export for an operator', async (t) => {
  const dir = tempDir(t)
  const f = await makeReportFixture(dir)
  t.teardown(async () => await f.store.close())
  const key = ageKey(dir)
  const conditions = rows(CONDITIONS)
  const start = f.store.head().position
  const runBy = async (id: string, approvalId: number, c = conditions): Promise<TerminalResponse> => await f.ask({ session: f.sessions[id], bulkRun: { approvalId, purpose: 'B5-RYOKEN', medium: 'usb', conditions: c } })

  t.equal((await runBy('BA002', 999_999)).errorCode, 'KEN_ERR_TERM_BULK_NO_APPROVAL', 'an ID beyond the log')
  t.equal((await runBy('BA002', 3)).errorCode, 'KEN_ERR_TERM_BULK_NO_APPROVAL', 'a position that is not an approval')

  const own = await approve(f, 'AD003', 'AD003', key.recipient)
  t.equal(own.errorCode, 'KEN_ERR_TERM_SAME_ADMINISTRATOR', 'nobody approves their own request')
  t.equal((await runBy('AD003', own.logPosition)).errorCode, 'KEN_ERR_TERM_BULK_NO_APPROVAL', 'a refused approval approves nothing')
  t.equal((await approve(f, 'BA002', 'AD003', key.recipient)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'a branch administrator does not approve')
  t.equal((await approve(f, 'AD001', 'OP001', key.recipient)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'an operator is no requester (H13)')
  t.equal((await approve(f, 'AD001', 'BA002', 'not-a-key')).errorCode, 'KEN_ERR_TERM_BAD_REQUEST')

  const forOther = await approve(f, 'AD001', 'AD003', key.recipient)
  t.equal((await runBy('BA002', forOther.logPosition)).errorCode, 'KEN_ERR_TERM_BULK_APPROVAL_MISMATCH', 'another requester\'s approval')
  const small = await approve(f, 'AD001', 'BA002', key.recipient, { expected: 2 })
  t.equal((await runBy('BA002', small.logPosition)).errorCode, 'KEN_ERR_TERM_BULK_APPROVAL_MISMATCH', 'more rows than approved')

  const soon = await approve(f, 'AD002', 'BA002', key.recipient, { expires: '2026-06-01' })
  t.equal(soon.errorCode, '')
  f.clock.advance(DAY)
  await f.relogin('BA002', 'OP001', 'AU001')
  t.equal((await runBy('BA002', soon.logPosition)).errorCode, 'KEN_ERR_TERM_BULK_APPROVAL_EXPIRED')

  // H13: the operator has no export: the run is refused by role before anything is read.
  t.equal((await runBy('OP001', soon.logPosition)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN')
  t.equal((await runBy('AU001', soon.logPosition)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN')

  const acts = await actsAfter(f.store, start)
  const runs = acts.filter((a) => a.kind === 'terminal.bulk.run')
  t.ok(runs.length >= 8 && runs.every((a) => a.refused && a.count === 0 && a.subjects.length === 0), 'every refused run recorded, nothing output')
  t.same(runs.map((a) => a.reasonCode), [
    'KEN_ERR_TERM_BULK_NO_APPROVAL', 'KEN_ERR_TERM_BULK_NO_APPROVAL', 'KEN_ERR_TERM_BULK_NO_APPROVAL', 'KEN_ERR_TERM_BULK_APPROVAL_MISMATCH', 'KEN_ERR_TERM_BULK_APPROVAL_MISMATCH',
    'KEN_ERR_TERM_BULK_APPROVAL_EXPIRED', 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'KEN_ERR_TERM_ROLE_FORBIDDEN'
  ])
  t.same(acts.filter((a) => a.kind === 'terminal.bulk.approve' && a.refused).map((a) => a.reasonCode), ['KEN_ERR_TERM_SAME_ADMINISTRATOR', 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'KEN_ERR_TERM_BAD_REQUEST'])
})
