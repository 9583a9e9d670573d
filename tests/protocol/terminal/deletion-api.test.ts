// 物理削除 over ken-terminal's HTTPS API and ken-term (issue 17 item 3), in front of the real terminal
// socket: every refusal — wrong role, no reference, approver = requester, a second administrator who is
// not the approver role, unknown request, no session — answers its code and is recorded; the security
// officer's approval erases; ken-term files, lists and approves. Print records (A8.3) over the API.
import t from 'tap'
import path from 'node:path'
import { writeFileSync } from 'node:fs'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { run } from '../../../server/src/terminal/cli/ken-term.ts'
import { person, tempDir } from '../../unit/store/helpers.ts'
import { actsAfter } from '../../unit/store/terminal/helpers.ts'
import { startTerminal } from './helpers.ts'

const dir = tempDir(t, 'ken-term-del-')
const term = await startTerminal(dir)
t.teardown(async () => await term.close())
const token = async (id: string): Promise<string> => String((await term.login(id)).json.session ?? '')

t.test('API: each refusal answers its code and is recorded; the approval erases', async (t) => {
  const p = person(5)
  const [ad1, ad2, so, op] = [await token('AD001'), await token('AD002'), await token('SO001'), await token('OP001')]
  const before = term.fixture.store.head().position
  const file = async (tk: string | undefined, body: Record<string, unknown>): Promise<{ status: number, json: Record<string, unknown> }> => await term.request('POST', '/api/deletions', { action: 'file', ...body }, tk)
  const noSession = await file(undefined, { juminhyoCode: p.juminhyoCode, reference: 'KUR-17' })
  t.same([noSession.status, noSession.json.code], [401, 'KEN_ERR_TERM_NO_SESSION'])
  const byOperator = await file(op, { juminhyoCode: p.juminhyoCode, reference: 'KUR-17' })
  t.same([byOperator.status, byOperator.json.code], [403, 'KEN_ERR_TERM_ROLE_FORBIDDEN'])
  const noRef = await file(ad1, { juminhyoCode: p.juminhyoCode })
  t.same([noRef.status, noRef.json.code], [422, 'KEN_ERR_TERM_DELETION_REFERENCE'])
  t.equal((await file(ad1, { juminhyoCode: p.juminhyoCode, reference: 'KUR-17', extra: 1 })).json.code, 'KEN_ERR_TERM_BAD_REQUEST', 'unknown properties refused')
  const filed = await file(ad1, { juminhyoCode: p.juminhyoCode, reference: 'KUR-17' })
  t.equal(filed.status, 200)
  const requestId = String((filed.json.requests as Array<{ requestId: string }>)[0]?.requestId)
  const approve = async (tk: string, id = requestId): Promise<{ status: number, json: Record<string, unknown> }> => await term.request('POST', '/api/deletions', { action: 'approve', requestId: id }, tk)
  const self = await approve(ad1)
  t.same([self.status, self.json.code], [409, 'KEN_ERR_TERM_DELETION_SAME_PERSON'], 'approver = requester')
  t.equal((await approve(ad2)).json.code, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'a second administrator is not the security officer')
  const unknown = await approve(so, 'D-0000ABCD')
  t.same([unknown.status, unknown.json.code], [404, 'KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST'])
  const refusedActs = await actsAfter(term.fixture.store, before)
  t.equal(refusedActs.filter((a) => a.refused).length, 5, 'each refusal that reached the store is one act (without any token ken-terminal answers 401 itself; the unknown property never reaches the store)')
  t.ok(refusedActs.every((a) => a.kind.startsWith('terminal.deletion.') || a.kind === 'terminal.refused'))
  const listed = await term.request('GET', '/api/deletions', undefined, so)
  t.equal(listed.status, 200)
  t.notMatch(JSON.stringify(listed.json), p.juminhyoCode, 'the list shows no 住民票コード')
  const approved = await approve(so)
  t.equal(approved.status, 200)
  t.match((approved.json.requests as unknown[])[0], { status: 'erased', decidedBy: 'SO001', requestedBy: 'AD001', reference: 'KUR-17' })
  const found = await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode }, op)
  t.equal(found.status, 200, JSON.stringify(found.json))
  t.same(found.json.hits, [], 'gone from search')
})

t.test('print over the API is refused while hardcopy is prohibited (the default)', async (t) => {
  const op = await token('OP001')
  const p = person(6)
  const ref = ((await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode }, op)).json.hits as Array<{ ref: string }>)[0]?.ref ?? ''
  const r = await term.request('POST', '/api/print', { purpose: 'B5-RYOKEN', ref }, op)
  t.same([r.status, r.json.code], [403, 'KEN_ERR_TERM_PRINT_PROHIBITED'])
  t.equal((await term.request('GET', '/api/session', undefined, op)).json.hardcopy, 'prohibited')
})

t.test('ken-term: file, list, approve; refusals exit 1 with the code', async (t) => {
  const pinFile = path.join(dir, 'pin')
  writeFileSync(pinFile, `${DEV_PIN}\n`, { mode: 0o600 })
  const common = ['--url', term.url, '--ca', path.join(term.pkiDir, 'ca.crt')]
  const login = async (id: string): Promise<string[]> => {
    const r = await run(['login', ...common, '--id', id, '--cert', path.join(term.pkiDir, 'operators', `${id}.crt`), '--key', path.join(term.pkiDir, 'operators', `${id}.key`), '--pin-file', pinFile])
    return [`--session=${String((r.out as Record<string, unknown>).session)}`]
  }
  const admin = await login('AD001')
  const officer = await login('SO001')
  const p = person(9)
  const filed = await run(['deletion', 'file', ...common, ...admin, '--juminhyo', p.juminhyoCode, '--reference', 'ONGA-2026-3'])
  t.equal(filed.code, 0)
  const id = (filed.out as { requests: Array<{ requestId: string }> }).requests[0]?.requestId ?? ''
  const self = await run(['deletion', 'approve', ...common, ...admin, '--request', id])
  t.same([self.code, (self.out as Record<string, unknown>).code], [1, 'KEN_ERR_TERM_DELETION_SAME_PERSON'])
  const list = await run(['deletions', ...common, ...officer])
  t.equal(list.code, 0)
  t.ok((list.out as { requests: Array<{ requestId: string, status: string }> }).requests.some((r) => r.requestId === id && r.status === 'pending'))
  const ok = await run(['deletion', 'approve', ...common, ...officer, '--request', id])
  t.equal(ok.code, 0)
  t.match((ok.out as { requests: unknown[] }).requests[0], { status: 'erased', decidedBy: 'SO001' })
  await t.rejects(run(['deletion', 'erase', ...common, ...officer, '--request', id]), /unknown deletion action/, 'usage')
})
