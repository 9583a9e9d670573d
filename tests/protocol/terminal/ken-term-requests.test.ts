// ken-term's disclosure and correction commands over the HTTPS API: a paper disclosure writes the A4
// form that pdfinfo reads; a correction case is received, investigated, referred and closed not
// corrected (with its reason) and is then no longer open; a refused step exits 1 with its code.
import t from 'tap'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { run } from '../../../server/src/terminal/cli/ken-term.ts'
import { FUKUOKA, person, tempDir } from '../../unit/store/helpers.ts'
import { startTerminal } from './helpers.ts'
import { registerAccount, REQUEST_PURPOSES } from './request-clerk.ts'

const dir = tempDir(t, 'ken-term-requests-')
const term = await startTerminal(dir)
t.teardown(async () => await term.close())
await registerAccount(term.fixture, 'OP002', 'operator', REQUEST_PURPOSES)
const pinFile = path.join(dir, 'pin')
writeFileSync(pinFile, `${DEV_PIN}\n`, { mode: 0o600 })
const common = ['--url', term.url, '--ca', path.join(term.pkiDir, 'ca.crt')]
const p = person(9)

async function session (): Promise<string[]> {
  const login = await run(['login', ...common, '--id', 'OP002', '--cert', path.join(term.pkiDir, 'operators', 'OP002.crt'), '--key', path.join(term.pkiDir, 'operators', 'OP002.key'), '--pin-file', pinFile])
  return [`--session=${String((login.out as Record<string, unknown>).session)}`]
}

async function refOf (s: string[], purpose: string): Promise<string> {
  const found = await run(['search', ...common, ...s, '--purpose', purpose, '--juminhyo', p.juminhyoCode])
  return (found.out as { hits: Array<{ ref: string }> }).hits[0]?.ref ?? ''
}

t.test('disclose on paper writes the form', async (t) => {
  const s = await session()
  const out = path.join(dir, 'form.pdf')
  const r = await run(['disclose', ...common, ...s, '--purpose', 'K-KAIJI', `--ref=${await refOf(s, 'K-KAIJI')}`, '--document', 'residence-card', '--document-ref', 'KJ-9', '--medium', 'paper', '--out', out])
  t.equal(r.code, 0)
  t.match(r.out, { medium: 'paper', pdfFile: out, prefectureName: '福岡県' })
  t.notOk('pdf' in (r.out as Record<string, unknown>), 'the PDF went to the file, not to stdout')
  t.match(execFileSync('pdfinfo', [out], { encoding: 'utf8' }), /\(A4\)/)
  const ref = await refOf(s, 'K-KAIJI')
  await t.rejects(run(['disclose', ...common, ...s, '--purpose', 'K-KAIJI', `--ref=${ref}`, '--document', 'passport', '--document-ref', '', '--medium', 'screen']), { message: '--document-ref is required' }, 'no request form number: a usage error (exit 2), nothing sent')
  const unverified = await run(['disclose', ...common, ...s, '--purpose', 'K-KAIJI', `--ref=${ref}`, '--document', 'passport', '--document-ref', 'no spaces', '--medium', 'screen'])
  t.equal(unverified.code, 1)
  t.equal((unverified.out as Record<string, unknown>).code, 'KEN_ERR_TERM_IDENTITY_UNVERIFIED')
})

t.test('a correction case through ken-term, closed without correction', async (t) => {
  const s = await session()
  const received = await run(['correction', 'receive', ...common, ...s, '--purpose', 'K-TEISEI', `--ref=${await refOf(s, 'K-TEISEI')}`, '--text', '氏名のふりがなが違う', '--reference', 'TS-9'])
  t.equal(received.code, 0)
  const caseId = String((received.out as { case: { caseId: string } }).case.caseId)
  const step = async (...args: string[]): Promise<{ code: number, out: unknown }> => await run(['correction', ...args, ...common, ...s, '--purpose', 'K-TEISEI', '--case', caseId])
  const early = await step('close')
  t.equal(early.code, 1)
  t.equal((early.out as Record<string, unknown>).code, 'KEN_ERR_TERM_CASE_STEP')
  t.equal((await step('investigate')).code, 0)
  t.equal((await step('refer', '--municipality', FUKUOKA)).code, 0)
  const noReason = await step('close')
  t.equal((noReason.out as Record<string, unknown>).code, 'KEN_ERR_TERM_CASE_STEP', 'closing without correction needs a reason')
  const closed = await step('close', '--text', '住民票の記載どおりであり誤りはない')
  t.equal(closed.code, 0)
  t.match(closed.out, { case: { state: 'closed', outcome: 'not-corrected', municipalityCode: FUKUOKA } })
  const open = (await run(['corrections', ...common, ...s, '--purpose', 'K-TEISEI'])).out as { logPosition: number, cases: unknown[] }
  t.same(open.cases, [], 'no open case')
  t.ok(open.logPosition > 0, 'reading the list is an act')
  const all = await run(['corrections', ...common, ...s, '--purpose', 'K-TEISEI', '--all'])
  t.equal((all.out as { cases: unknown[] }).cases.length, 1)
})
