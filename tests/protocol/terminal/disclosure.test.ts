// Disclosure (開示, 住基法30条の32) and correction cases (訂正, 30条の35) through ken-terminal's HTTPS API
// in front of the real terminal socket (requirements H10, H11, A4.6): each refusal tried, each act one
// log entry, the provision history taken from the provision acts of that person only, the paper form
// judged by poppler, and a correction case from receipt to closure linked to the fixing update.
import t from 'tap'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { sign } from 'node:crypto'
import { devPki, DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { fromPemAll } from '../../../certs/src/der.ts'
import { openOperatorCredential } from '../../../certs/src/operator-credential.ts'
import { ChangeReason, Stream } from '../../../proto/src/types.ts'
import { loginSignedData } from '../../../server/src/store/terminal/sessions.ts'
import { Cs, FUKUOKA, item, person, tempDir } from '../../unit/store/helpers.ts'
import { actsAfter } from '../../unit/store/terminal/helpers.ts'
import { startTerminal } from './helpers.ts'
import { registerAccount, REQUEST_PURPOSES } from './request-clerk.ts'

const dir = tempDir(t, 'ken-term-disclosure-')
const term = await startTerminal(dir)
t.teardown(async () => await term.close())
const f = term.fixture
const p = person(4)
const other = person(5)

// An auditor's credential (operator certificate of role "security") from a PKI of its own.
const auditorPki = path.join(dir, 'auditor-pki')
await devPki(auditorPki, [FUKUOKA], { people: [{ id: 'AU001', role: 'security' }] })
const auditorCert = readFileSync(path.join(auditorPki, 'operators', 'AU001.crt'), 'utf8')
const auditorKey = readFileSync(path.join(auditorPki, 'operators', 'AU001.key'), 'utf8')

await registerAccount(f, 'OP002', 'operator', REQUEST_PURPOSES)
await registerAccount(f, 'AU001', 'auditor', [], fromPemAll(auditorCert, 'CERTIFICATE')[0] ?? new Uint8Array(0))

async function token (id: string): Promise<string> {
  if (id !== 'AU001') return String((await term.login(id)).json.session ?? '')
  const challenge = String((await term.request('POST', '/api/login/challenge', { accountId: id })).json.challenge ?? '')
  const key = openOperatorCredential(auditorCert, auditorKey, DEV_PIN).privateKey
  const signature = sign('sha256', loginSignedData(Buffer.from(challenge, 'base64')), key).toString('base64')
  return String((await term.request('POST', '/api/login', { accountId: id, challenge, signature, pin: DEV_PIN })).json.session ?? '')
}

async function refOf (tok: string, purpose: string, juminhyoCode: string): Promise<string> {
  const hits = (await term.request('POST', '/api/search', { purpose, juminhyoCode }, tok)).json.hits as Array<{ ref: string }> | undefined
  return hits?.[0]?.ref ?? ''
}

/** Run `fn` and return the acts it recorded (the test asserts there is exactly one). */
async function actsOf (fn: () => Promise<unknown>): Promise<Awaited<ReturnType<typeof actsAfter>>> {
  const before = f.store.head().position
  await fn()
  return await actsAfter(f.store, before)
}

const clerk = await token('OP002')
// A provision recorded before the disclosure (and one of another person, and a refused one).
const provided = await term.request('POST', '/api/provide', { purpose: 'B5-RYOKEN', kind: 'iten', recipient: 'R-RYOKEN', refs: [await refOf(clerk, 'B5-RYOKEN', p.juminhyoCode)], items: ['name', 'birthDate'], channel: 'terminal', reference: 'DOC-1' }, clerk)
if (provided.status !== 200) throw new Error(`provide: ${provided.status}`)
await term.request('POST', '/api/provide', { purpose: 'B5-RYOKEN', kind: 'iten', recipient: 'R-RYOKEN', refs: [await refOf(clerk, 'B5-RYOKEN', other.juminhyoCode)], items: ['name'], channel: 'terminal', reference: 'DOC-2' }, clerk)
// A refused provision handed nothing over: it is not in the history.
await term.request('POST', '/api/provide', { purpose: 'B5-RYOKEN', kind: 'iten', recipient: 'R-RYOKEN', refs: [await refOf(clerk, 'B5-RYOKEN', p.juminhyoCode)], items: ['kojinBango'], channel: 'terminal', reference: 'DOC-3' }, clerk)

t.test('disclosure refusals: each one act, refused, with its code', async (t) => {
  const ref = await refOf(clerk, 'K-KAIJI', p.juminhyoCode)
  const body = { purpose: 'K-KAIJI', ref, document: 'driving-licence', documentReference: 'KJ-001', medium: 'screen' }
  const cases: Array<[string, string, Record<string, unknown>, string, number]> = [
    ['no identity verification', clerk, { ...body, documentReference: '' }, 'KEN_ERR_TERM_IDENTITY_UNVERIFIED', 422],
    ['a document number that is not a form number', clerk, { ...body, documentReference: '免許 123' }, 'KEN_ERR_TERM_IDENTITY_UNVERIFIED', 422],
    ['another purpose\'s record', clerk, { ...body, purpose: 'B5-RYOKEN', ref: await refOf(clerk, 'B5-RYOKEN', p.juminhyoCode) }, 'KEN_ERR_TERM_PURPOSE_NOT_APPROVED', 403],
    ['a ref not from this session', clerk, { ...body, ref: 'nope' }, 'KEN_ERR_TERM_UNKNOWN_REF', 404],
    ['an operator without the disclosure purpose', await token('OP001'), body, 'KEN_ERR_TERM_PURPOSE_NOT_APPROVED', 403],
    ['a technician', await token('TE001'), body, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 403],
    ['an auditor', await token('AU001'), body, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 403]
  ]
  for (const [what, tok, b, code, status] of cases) {
    let r: Awaited<ReturnType<typeof term.request>> | undefined
    const acts = await actsOf(async () => { r = await term.request('POST', '/api/disclosure', b, tok) })
    t.equal(r?.status, status, what)
    t.equal(r?.json.code, code, what)
    t.equal(acts.length, 1, `${what}: one entry`)
    t.equal(acts[0]?.kind, 'disclosure.give', what)
    t.equal(acts[0]?.refused, true, what)
    t.equal(acts[0]?.reasonCode, code, what)
  }
})

t.test('disclosure on screen: the record and its provision history, one act, medium recorded', async (t) => {
  const ref = await refOf(clerk, 'K-KAIJI', p.juminhyoCode)
  let r: Awaited<ReturnType<typeof term.request>> | undefined
  const acts = await actsOf(async () => { r = await term.request('POST', '/api/disclosure', { purpose: 'K-KAIJI', ref, document: 'my-number-card', documentReference: 'KJ-002', medium: 'screen' }, clerk) })
  t.equal(r?.status, 200)
  const items = r?.json.items as Record<string, string>
  t.equal(items.name, p.nameKanji)
  t.equal(items.kojinBango, p.kojinBango, 'A4.1: every item, 個人番号 too')
  const provisions = r?.json.provisions as Array<{ recipient: string, purpose: string, items: string[], kind: string, recipientName: string }>
  t.same(provisions.map((x) => [x.recipient, x.recipientName, x.purpose, x.kind, x.items]), [['R-RYOKEN', '旅券センター', 'B5-RYOKEN', 'iten', ['name', 'birthDate']]], 'only this person\'s provision, not the refused one')
  t.equal(r?.json.medium, 'screen')
  t.equal(r?.json.prefectureName, '福岡県')
  t.equal(r?.json.pdf, undefined, 'no form on screen')
  t.equal(acts.length, 1)
  const act = acts[0]
  t.equal(act?.kind, 'disclosure.give')
  t.match(act?.note, /document=my-number-card medium=screen/)
  t.match(String(r?.json.referenceNumber), new RegExp(`-${String(r?.json.logPosition)}$`), 'the reference number names the act')
  const clear = JSON.stringify({ ...act, sealedDetail: undefined, subjects: undefined })
  for (const secret of [p.nameKanji, p.juminhyoCode, p.kojinBango, p.address, 'KJ-002']) t.notOk(clear.includes(secret), 'nothing personal in clear')
  let record
  for await (const e of f.store.entries(Number(r?.json.logPosition), Number(r?.json.logPosition))) record = e
  const detail = JSON.parse((await f.store.openActDetail(record ?? (() => { throw new Error('no entry') })()))?.toString('utf8') ?? '{}') as { documentReference: string, medium: string }
  t.equal(detail.documentReference, 'KJ-002')
  t.equal(detail.medium, 'screen')
})

t.test('disclosure on paper: an A4 PDF that poppler reads, the medium recorded', async (t) => {
  const ref = await refOf(clerk, 'K-KAIJI', p.juminhyoCode)
  let r: Awaited<ReturnType<typeof term.request>> | undefined
  const acts = await actsOf(async () => { r = await term.request('POST', '/api/disclosure', { purpose: 'K-KAIJI', ref, document: 'passport', documentReference: 'KJ-003', medium: 'paper' }, clerk) })
  t.equal(r?.status, 200)
  t.equal(acts.length, 1)
  t.match(acts[0]?.note, /medium=paper/)
  const file = path.join(dir, 'form.pdf')
  writeFileSync(file, Buffer.from(String(r?.json.pdf), 'base64'))
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  t.match(info, /Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/)
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[ \u3000]+/g, '')
  t.ok(text.includes(p.nameKanji.replace(/[ \u3000]+/g, '')), 'the resident\'s name')
  t.ok(text.includes('旅券センター'), 'the provision row\'s recipient')
  t.ok(text.includes('福岡県知事'), 'the prefecture')
  t.ok(text.includes(String(r?.json.referenceNumber)), 'the reference number')
})

t.test('a correction case from receipt to closure: every step one act, the fix linked and checked', async (t) => {
  const ref = await refOf(clerk, 'K-TEISEI', p.juminhyoCode)
  const step = async (b: Record<string, unknown>, tok = clerk): Promise<{ r: Awaited<ReturnType<typeof term.request>>, acts: Awaited<ReturnType<typeof actsAfter>> }> => {
    let r: Awaited<ReturnType<typeof term.request>> | undefined
    const acts = await actsOf(async () => { r = await term.request('POST', '/api/corrections/step', { purpose: 'K-TEISEI', ...b }, tok) })
    if (r === undefined) throw new Error('no answer')
    return { r, acts }
  }
  const received = await step({ kind: 'receive', ref, text: '住所の番地が誤っている', reference: 'TS-1' })
  t.equal(received.r.status, 200)
  const c = received.r.json.case as { caseId: string, state: string }
  t.match(c.caseId, /^[0-9a-f]{32}$/)
  t.equal(c.state, 'received')
  t.same(received.acts.map((a) => [a.kind, a.refused]), [['correction.receive', false]])
  t.notOk(JSON.stringify({ ...received.acts[0], sealedDetail: undefined, subjects: undefined }).includes('番地'), 'the request is sealed')
  const caseId = c.caseId

  const early = await step({ kind: 'updated', caseId, position: 1 })
  t.equal(early.r.status, 409)
  t.equal(early.r.json.code, 'KEN_ERR_TERM_CASE_STEP')
  t.same(early.acts.map((a) => [a.kind, a.refused]), [['correction.updated', true]], 'a refused step is one entry too')
  const unknown = await step({ kind: 'investigate', caseId: '0'.repeat(32) })
  t.equal(unknown.r.json.code, 'KEN_ERR_TERM_CASE_UNKNOWN')
  t.equal(unknown.acts.length, 1)
  for (const who of ['TE001', 'AU001']) {
    const refused = await step({ kind: 'investigate', caseId }, await token(who))
    t.equal(refused.r.json.code, 'KEN_ERR_TERM_ROLE_FORBIDDEN', who)
    t.same(refused.acts.map((a) => [a.kind, a.refused]), [['correction.investigate', true]], `${who}: one entry, of the step tried`)
  }
  t.equal((await step({ kind: 'investigate', caseId }, await token('OP001'))).r.json.code, 'KEN_ERR_TERM_PURPOSE_NOT_APPROVED', 'an operator without the correction purpose')

  t.same((await step({ kind: 'investigate', caseId })).acts.map((a) => a.kind), ['correction.investigate'])
  const referred = await step({ kind: 'refer', caseId, municipalityCode: FUKUOKA })
  t.same(referred.acts.map((a) => a.kind), ['correction.refer'])
  t.equal((referred.r.json.case as { municipalityCode: string }).municipalityCode, FUKUOKA)

  // The municipality corrects the record through its CS; another person's update does not fix it.
  const cs = new Cs(FUKUOKA)
  cs.advance(40)
  const [fixOther] = await f.store.append([item(cs.identity({ ...other, changeReason: ChangeReason.TENKYO, changeDate: '2026-05-30', address: `${other.address}の2` }, Stream.NORMAL))])
  const [fix] = await f.store.append([item(cs.identity({ ...p, changeReason: ChangeReason.TENKYO, changeDate: '2026-05-30', address: `${p.address}の1` }, Stream.NORMAL))])
  const wrong = await step({ kind: 'updated', caseId, position: fixOther?.logPosition ?? 0 })
  t.equal(wrong.r.status, 422)
  t.equal(wrong.r.json.code, 'KEN_ERR_TERM_UPDATE_MISMATCH')
  t.equal(wrong.acts.length, 1)
  const updated = await step({ kind: 'updated', caseId, position: fix?.logPosition ?? 0 })
  t.equal(updated.r.status, 200)
  t.same(updated.acts.map((a) => [a.kind, a.toPosition]), [['correction.updated', fix?.logPosition]])

  f.clock.advance(3 * 86_400_000)
  // Three days on, the clerk's session has ended (SPEC §6): a new login, the same case.
  const later = await token('OP002')
  let listed: Awaited<ReturnType<typeof term.request>> | undefined
  const listActs = await actsOf(async () => { listed = await term.request('GET', '/api/corrections?purpose=K-TEISEI', undefined, later) })
  t.same(listActs.map((a) => a.kind), ['correction.list'])
  const open = listed?.json.cases as Array<{ caseId: string, state: string, daysOpen: number, fixedAt: number }>
  t.same(open.map((x) => [x.caseId, x.state, x.daysOpen, x.fixedAt]), [[caseId, 'updated', 3, fix?.logPosition]], 'the open case by age')

  const closed = await step({ kind: 'close', caseId, corrected: true }, later)
  t.same(closed.acts.map((a) => a.kind), ['correction.close'])
  t.equal((closed.r.json.case as { state: string, outcome: string }).outcome, 'corrected')
  t.same((await term.request('GET', '/api/corrections?purpose=K-TEISEI', undefined, later)).json.cases, [], 'no open case left')
  const all = (await term.request('GET', '/api/corrections?purpose=K-TEISEI&open=false', undefined, later)).json.cases as Array<{ steps: Array<{ kind: string }> }>
  t.same(all[0]?.steps.map((s) => s.kind), ['receive', 'investigate', 'refer', 'updated', 'close'], 'the case is the fold of its acts')
  t.equal((await step({ kind: 'investigate', caseId }, later)).r.json.code, 'KEN_ERR_TERM_CASE_STEP', 'nothing follows closure')
})
