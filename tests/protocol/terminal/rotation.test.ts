// Live rotation of ken-terminal's HTTPS certificate (SPEC §7, issue 16) through its maintenance
// socket: an operator's session over a kept-alive TLS connection goes on on that connection with the
// old certificate, a new TLS connection meets the new one (compared by fingerprint), and the same
// session token works over it (sessions live in the store). Unusable material is refused with a code
// and changes nothing; the metrics text counts the logins and refusals.
import t from 'tap'
import https from 'node:https'
import tls from 'node:tls'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { MaintOperation } from '../../../proto/src/types.ts'
import { callMaint } from '../../../server/src/store/maint-client.ts'
import { tempDir } from '../../unit/store/helpers.ts'
import { startTerminal } from './helpers.ts'

const dir = tempDir(t, 'ken-term-rot-')
const maintSocket = path.join(dir, 'terminal-maint.sock')
const term = await startTerminal(dir, { maintSocket })
t.teardown(async () => await term.close())

/** The fingerprint of the certificate a fresh TLS connection is served. */
const freshFingerprint = async (): Promise<string> => await new Promise((resolve, reject) => {
  const s = tls.connect({ host: '127.0.0.1', port: term.port, ca: term.ca, servername: 'localhost', minVersion: 'TLSv1.3' }, () => {
    resolve(s.getPeerCertificate().fingerprint256)
    s.destroy()
  })
  s.once('error', reject)
})

/** One kept-alive connection: every request goes over the same TLS socket. */
const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: term.ca, minVersion: 'TLSv1.3' })
t.teardown(() => agent.destroy())
const sockets = new Set<tls.TLSSocket>()
const whoami = async (token: string): Promise<{ status: number, fingerprint: string }> => await new Promise((resolve, reject) => {
  const req = https.request(new URL('/api/session', term.url), { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
    const socket = res.socket as tls.TLSSocket
    sockets.add(socket)
    res.resume()
    res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint: socket.getPeerCertificate().fingerprint256 }))
  })
  req.on('error', reject)
  req.end()
})

/** Whether `openssl s_client` (not our code) completes a TLS 1.3 handshake offering only `group`. */
const opensslHandshake = async (group: string): Promise<boolean> => await new Promise((resolve) => {
  const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${term.port}`, '-brief', '-CAfile', path.join(term.pkiDir, 'ca.crt'), '-tls1_3', '-groups', group], { timeout: 20_000 }, (err, stdout, stderr) => {
    resolve(err === null && /Protocol version: TLSv1\.3/.test(`${stdout}\n${stderr}`))
  })
  child.stdin?.end()
})
const groupsOffered = async (): Promise<string[]> => {
  const out: string[] = []
  for (const group of ['X25519', 'P-256', 'P-384', 'ffdhe2048', 'ffdhe3072']) if (await opensslHandshake(group)) out.push(group)
  return out
}

const rotate = async (tlsMaterial: { certPem?: string, keyPem?: string, caPem?: string }): Promise<string> =>
  await callMaint(maintSocket, { operation: MaintOperation.ROTATE_TLS, technician: 'TE001', tls: { certPem: tlsMaterial.certPem ?? '', keyPem: tlsMaterial.keyPem ?? '', caPem: tlsMaterial.caPem ?? '', crlPem: '' } }).then(() => 'rotated', (err: { code: string }) => err.code)

t.test('rotated while a session is open: the open connection keeps its certificate, a new one meets the new', async (t) => {
  const login = await term.login('OP001')
  t.equal(login.status, 200)
  const token = String(login.json.session)
  const oldFingerprint = await freshFingerprint()
  t.same(await groupsOffered(), ['X25519', 'P-256', 'P-384'], 'openssl: only the three groups, no finite-field group (issue 16)')
  const before = await whoami(token)
  t.same(before, { status: 200, fingerprint: oldFingerprint })

  const ca = openCa(path.join(term.pkiDir, 'ca'))
  const issued = await ca.issueServer({ names: ['localhost', '127.0.0.1', '::1'] })
  const oldKey = readFileSync(path.join(term.pkiDir, 'server.key'), 'utf8')
  t.equal(await rotate({ certPem: issued.chainPem, keyPem: oldKey }), 'KEN_ERR_TERM_ROTATION_INVALID', 'a key that does not match is refused')
  t.equal(await rotate({ certPem: issued.chainPem }), 'KEN_ERR_TERM_ROTATION_INVALID', 'a certificate without its key is refused')
  t.equal(await rotate({ caPem: ca.bundlePem }), 'KEN_ERR_TERM_ROTATION_INVALID', 'a CA bundle is refused: the terminal trusts none')
  const operator = readFileSync(path.join(term.pkiDir, 'operators', 'OP001.crt'), 'utf8')
  t.equal(await rotate({ certPem: operator, keyPem: oldKey }), 'KEN_ERR_TERM_ROTATION_INVALID', 'not a server certificate')
  t.equal(await freshFingerprint(), oldFingerprint, 'the refusals changed nothing')

  t.equal(await rotate({ certPem: issued.chainPem, keyPem: issued.privateKeyPem }), 'rotated')
  const newFingerprint = new X509Certificate(issued.certificatePem).fingerprint256
  t.not(newFingerprint, oldFingerprint)
  t.equal(await freshFingerprint(), newFingerprint, 'a new TLS connection meets the new certificate')
  t.same(await groupsOffered(), ['X25519', 'P-256', 'P-384'], 'the rotated context keeps the policy')
  const after = await whoami(token)
  t.same(after, { status: 200, fingerprint: oldFingerprint }, 'the open connection was kept, with the certificate it began with')
  t.equal(sockets.size, 1, 'one connection throughout')

  agent.destroy()
  const reconnected = await whoami(token)
  t.same(reconnected, { status: 200, fingerprint: newFingerprint }, 'reconnected: the new certificate, the same session')
})

t.test('the metrics text counts logins by result and refusals by code, with no account id', async (t) => {
  t.equal((await term.login('OP001', '000000-wrong')).status, 401)
  const text = (await callMaint(maintSocket, { operation: MaintOperation.METRICS, technician: 'TE001' })).metricsText
  t.match(text, /ken_terminal_logins_total\{result="succeeded"\} 1\b/)
  t.match(text, /ken_terminal_logins_total\{result="failed"\} 1\b/)
  t.match(text, /ken_terminal_refusals_total\{code="KEN_ERR_TERM_LOGIN_FAILED"\} 1\b/)
  t.notMatch(text, /OP001/, 'no account id in any label')
  const health = (await callMaint(maintSocket, { operation: MaintOperation.HEALTH, technician: 'TE001' })).health
  t.same([health?.daemon, health?.ok], ['terminal', true])
})
