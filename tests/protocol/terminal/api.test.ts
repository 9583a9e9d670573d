// ken-terminal's HTTPS API over real TLS 1.3 on 127.0.0.1, in front of the real terminal socket:
// every refusal the issue lists, tried; a request straight to the socket without a session; the
// schemas refuse unknown properties; TLS below 1.3 is refused.
import t from 'tap'
import net from 'node:net'
import tls from 'node:tls'
import path from 'node:path'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import { person, tempDir } from '../../unit/store/helpers.ts'
import { actsAfter } from '../../unit/store/terminal/helpers.ts'
import { startTerminal } from './helpers.ts'

const dir = tempDir(t, 'ken-term-api-')
const term = await startTerminal(dir)
t.teardown(async () => await term.close())
const p = person(4)

async function operatorToken (): Promise<string> {
  const r = await term.login('OP001')
  return String(r.json.session ?? '')
}

t.test('login with both factors, search, view, provide over HTTPS; each act one entry', async (t) => {
  const token = await operatorToken()
  t.match(token, /^[A-Za-z0-9_-]{43}$/)
  const before = term.fixture.store.head().position
  const found = await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', name: p.nameKana, birthDate: p.birthDate }, token)
  t.equal(found.status, 200)
  const hits = found.json.hits as Array<{ ref: string, items: Record<string, string> }>
  t.equal(hits.length, 1)
  t.equal(hits[0]?.items.name, p.nameKanji)
  const ref = hits[0]?.ref ?? ''
  const viewed = await term.request('POST', '/api/view', { purpose: 'B5-RYOKEN', ref }, token)
  t.equal(viewed.status, 200)
  const given = await term.request('POST', '/api/provide', { purpose: 'B5-RYOKEN', kind: 'iten', recipient: 'R-RYOKEN', refs: [ref], items: ['name', 'birthDate'], channel: 'terminal', reference: 'DOC-9' }, token)
  t.equal(given.status, 200)
  const acts = await actsAfter(term.fixture.store, before)
  t.same(acts.map((a) => a.kind), ['terminal.search', 'terminal.view', 'terminal.provide'])
  t.ok(acts.every((a) => a.terminal === 'TERM-TEST' && a.actor === 'OP001'), 'operator and terminal on every entry')
})

t.test('refusals', async (t) => {
  const noSession = await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode })
  t.equal(noSession.status, 401)
  t.equal(noSession.json.code, 'KEN_ERR_TERM_NO_SESSION')
  t.equal((await term.login('OP001', 'not-the-pin')).json.code, 'KEN_ERR_TERM_LOGIN_FAILED', 'wrong factor')
  const token = await operatorToken()
  t.equal((await term.request('POST', '/api/search', { purpose: 'B6-KENZEI', juminhyoCode: p.juminhyoCode }, token)).json.code, 'KEN_ERR_TERM_PURPOSE_NOT_APPROVED')
  const sexOnly = await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', sex: 'female' }, token)
  t.equal(sexOnly.status, 422)
  t.equal(sexOnly.json.code, 'KEN_ERR_TERM_SEARCH_CONDITIONS')
  t.equal((await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', name: p.nameKanji }, token)).json.code, 'KEN_ERR_TERM_SEARCH_CONDITIONS', 'one item alone')
  const hit = ((await term.request('POST', '/api/search', { purpose: 'J1-KYOIKU', juminhyoCode: p.juminhyoCode }, token)).json.hits as Array<{ ref: string }>)[0]?.ref ?? ''
  t.equal((await term.request('POST', '/api/provide', { purpose: 'J1-KYOIKU', kind: 'teikyo', recipient: 'R-KYOIKUI', refs: [hit], items: ['kojinBango'], channel: 'terminal' }, token)).json.code, 'KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE')
  const unknown = await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode, all: true }, token)
  t.equal(unknown.status, 400, 'Ajv refuses unknown properties')
  t.equal(unknown.json.code, 'KEN_ERR_TERM_BAD_REQUEST')
  const technician = String((await term.login('TE001')).json.session ?? '')
  t.equal((await term.request('POST', '/api/search', { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode }, technician)).json.code, 'KEN_ERR_TERM_ROLE_FORBIDDEN')
  const branch = String((await term.login('BA001')).json.session ?? '')
  t.equal((await term.request('POST', '/api/accounts', { action: 'revoke', accountId: 'OP001' }, branch)).json.code, 'KEN_ERR_TERM_OTHER_BRANCH')
  for (let i = 0; i < 5; i++) await term.login('OP002', 'not-the-pin')
  t.equal((await term.login('OP002')).json.code, 'KEN_ERR_TERM_LOGIN_FAILED', 'an unregistered id stays indistinguishable')
  for (let i = 0; i < 5; i++) await term.login('OP001', 'not-the-pin')
  t.equal((await term.login('OP001')).json.code, 'KEN_ERR_TERM_ACCOUNT_LOCKED', 'locked account')
  const admin = String((await term.login('AD001')).json.session ?? '')
  t.equal((await term.request('POST', '/api/accounts', { action: 'unlock', accountId: 'OP001' }, admin)).status, 200)
  term.fixture.clock.now = new Date('2027-04-30T15:00:00Z')
  t.equal((await term.login('OP001')).json.code, 'KEN_ERR_TERM_ACCOUNT_EXPIRED', 'expired on 1 May of the next fiscal year')
  term.fixture.clock.now = new Date('2026-06-01T01:00:00Z')
})

t.test('a request straight to the terminal socket without a session answers nothing and is recorded', async (t) => {
  const before = term.fixture.store.head().position
  const socket = net.connect(path.join(dir, 'terminal.sock'))
  const decoder = new FrameDecoder(1 << 20)
  const response = await new Promise<ReturnType<typeof decode<'TerminalResponse'>>>((resolve, reject) => {
    socket.on('data', (c: Buffer) => { const [f] = decoder.push(c); if (f !== undefined) resolve(decode('TerminalResponse', f)) })
    socket.on('error', reject)
    socket.write(encodeFrame(encodeComplete('TerminalRequest', { requestId: 7, session: new Uint8Array(0), terminalId: 'ROGUE', view: { purpose: 'B5-RYOKEN', ref: 'x' } })))
  })
  socket.destroy()
  t.equal(response.errorCode, 'KEN_ERR_TERM_NO_SESSION')
  t.notOk(response.record, 'no record')
  const acts = await actsAfter(term.fixture.store, before)
  t.equal(acts.length, 1)
  t.equal(acts[0]?.kind, 'terminal.refused')
})

t.test('TLS 1.2 is refused; the console pages carry a strict CSP', async (t) => {
  const err = await new Promise<Error | undefined>((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: term.port, ca: term.ca, maxVersion: 'TLSv1.2', servername: 'localhost' }, () => { s.destroy(); resolve(undefined) })
    s.on('error', (e) => resolve(e))
  })
  t.ok(err !== undefined, 'handshake with TLS ≤ 1.2 fails')
  const login = await term.request('GET', '/login')
  t.equal(login.status, 200)
  t.match(String(login.headers['content-security-policy']), /default-src 'none'; script-src 'self'/)
  t.equal(login.headers['cache-control'], 'no-store')
})
