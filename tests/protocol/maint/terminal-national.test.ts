// ken-maint and the terminal's and national link's maintenance sockets (SPEC §7, issue 16): a
// technician scrapes each daemon's own registry (judged by promtool; the outbox lag and oldest age,
// the terminal's logins and refusals), and rotates the terminal's certificate and ken-national's
// client certificate live — the files are written, the daemon swaps them, and each rotation, done or
// refused, is a log entry naming the technician. A refused rotation puts the files back.
import t from 'tap'
import https from 'node:https'
import tls from 'node:tls'
import path from 'node:path'
import { X509Certificate } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import pino from 'pino'
import { devPki, DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { startStoreDaemon } from '../../../server/src/store/daemon.ts'
import { startTerminalDaemon } from '../../../server/src/terminal/daemon.ts'
import { startNationalDaemon } from '../../../server/src/national/daemon.ts'
import { startMaint } from '../../../server/src/maint/daemon.ts'
import { FUKUOKA, tempDir } from '../../unit/store/helpers.ts'
import { parseMetrics, promtoolProblems, sampleValue } from '../../helpers/prometheus.ts'
import { recorder } from '../national/helpers.ts'
import { MaintOperation } from '../../../proto/src/types.ts'
import { callMaint } from '../../../server/src/store/maint-client.ts'
import { maintClient, type Reply } from './https-client.ts'

const dir = tempDir(t, 'ken-maint-tn-')
const pki = path.join(dir, 'pki')
await devPki(pki, [FUKUOKA], { nationalClient: '40' })
const pkiFile = (f: string): string => path.join(pki, f)
const sock = (n: string): string => path.join(dir, 'run', `${n}.sock`)
mkdirSync(path.join(dir, 'terminal'))
const terminalFiles = { caFile: path.join(dir, 'terminal', 'ca.crt'), certFile: path.join(dir, 'terminal', 'server.crt'), keyFile: path.join(dir, 'terminal', 'server.key'), crlFile: path.join(dir, 'terminal', 'crl.pem') }
for (const [from, to] of [['ca.crt', terminalFiles.caFile], ['server.crt', terminalFiles.certFile], ['server.key', terminalFiles.keyFile], ['crl.pem', terminalFiles.crlFile]] as const) copyFileSync(pkiFile(from), to)
// ken-national trusts the prefecture's CA here as "the national CA": no national server is dialled.
const nationalFiles = { caFile: pkiFile('ca.crt'), certFile: pkiFile('national/ken-national.crt'), keyFile: pkiFile('national/ken-national.key') }

const store = await startStoreDaemon({ dbPath: path.join(dir, 'db'), socketPath: sock('store'), keyFile: path.join(dir, 'appliance.key'), maintSocketPath: sock('store-maint'), outboxSocketPath: sock('outbox') }, { logger: pino({ level: 'silent' }) })
t.teardown(async () => await store.close())
const terminal = await startTerminalDaemon({ socketPath: sock('no-terminal-socket'), certFile: terminalFiles.certFile, keyFile: terminalFiles.keyFile, port: 0, maintSocket: sock('terminal-maint') }, { logger: pino({ level: 'silent' }) })
t.teardown(async () => await terminal.close())
const national = await startNationalDaemon({ outboxSocketPath: sock('outbox'), prefectureCode: '40', nationalUrl: 'mqtts://127.0.0.1:1', ...nationalFiles, reconnectMinMs: 1000, reconnectMaxMs: 5000, maintSocket: sock('national-maint') }, { logger: recorder() })
t.teardown(async () => await national.close())
const maint = await startMaint({
  host: '127.0.0.1',
  port: 0,
  tls: { caFile: pkiFile('ca.crt'), certFile: pkiFile('server.crt'), keyFile: pkiFile('server.key'), crlFile: pkiFile('crl.pem') },
  daemons: { store: sock('store-maint'), terminal: sock('terminal-maint'), national: sock('national-maint') },
  rotatable: { terminal: terminalFiles, national: nationalFiles }
}, { logger: pino({ level: 'silent' }) })
t.teardown(async () => await maint.close())

const technician = { cert: readFileSync(pkiFile('operators/TE001.crt')), key: readFileSync(pkiFile('operators/TE001.key')), passphrase: DEV_PIN }
const send = maintClient(() => maint.port, readFileSync(pkiFile('ca.crt')))
const request = async (method: string, url: string, body?: unknown): Promise<Reply> => await send(method, url, body, technician)
const lastAct = async () => {
  const r = await store.store.entries(store.store.head().position).next()
  return r.done === true ? undefined : r.value.entry.act
}
const terminalFingerprint = async (): Promise<string> => await new Promise((resolve, reject) => {
  const s = tls.connect({ host: '127.0.0.1', port: terminal.port, ca: readFileSync(pkiFile('ca.crt')), servername: 'localhost' }, () => {
    resolve(s.getPeerCertificate().fingerprint256)
    s.destroy()
  })
  s.once('error', reject)
})

t.test('each daemon\'s registry scraped through ken-maint, judged by promtool', async (t) => {
  // A login attempt while the store's terminal socket is absent: refused, and counted as such.
  const refused = await new Promise<number>((resolve, reject) => {
    const req = https.request(new URL('/api/login/challenge', terminal.url), { method: 'POST', ca: readFileSync(pkiFile('ca.crt')), headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0) })
    req.once('error', reject)
    req.end(JSON.stringify({ accountId: 'OP001' }))
  })
  t.equal(refused, 503)
  const term = await request('GET', '/metrics/terminal')
  t.equal(term.status, 200)
  t.same(await promtoolProblems(term.body), [], 'promtool: the terminal\'s metrics')
  t.equal(sampleValue(parseMetrics(term.body), 'ken_terminal_refusals_total', { code: 'KEN_ERR_TERM_UNAVAILABLE' }), 1)
  t.notMatch(term.body, /OP001/, 'no account id')
  const nat = await request('GET', '/metrics/national')
  t.equal(nat.status, 200)
  t.same(await promtoolProblems(nat.body), [], 'promtool: ken-national\'s metrics')
  const families = parseMetrics(nat.body)
  for (const name of ['ken_national_outbox_lag_positions', 'ken_national_oldest_unconfirmed_age_seconds', 'ken_national_link_up', 'process_resident_memory_bytes']) t.not(sampleValue(families, name), undefined, name)
  t.equal(sampleValue(families, 'ken_national_link_up'), 0, 'no national server here')
  const health = await request('GET', '/health')
  const daemons = health.json.daemons as Record<string, { ok: boolean }>
  t.equal(daemons.terminal?.ok, true)
  t.equal(daemons.national?.ok, false, 'the link is down, and health says so')
})

t.test('the terminal\'s certificate rotated through ken-maint, recorded; a CA bundle refused and the file put back', async (t) => {
  const ca = openCa(path.join(pki, 'ca'))
  const issued = await ca.issueServer({ names: ['localhost', '127.0.0.1'] })
  const r = await request('POST', '/rotation/terminal', { certPem: issued.chainPem, keyPem: issued.privateKeyPem })
  t.equal(r.status, 200)
  t.same(r.json.rotated, ['cert', 'key'])
  t.equal(await terminalFingerprint(), new X509Certificate(issued.certificatePem).fingerprint256, 'a new connection meets the new certificate')
  t.equal(readFileSync(terminalFiles.certFile, 'utf8'), issued.chainPem, 'the file a restart reads')
  const act = await lastAct()
  t.same([act?.kind, act?.actor, act?.refused, act?.note], ['maint.rotation', 'TE001', false, 'terminal: cert,key'])
  t.notMatch(r.body, /PRIVATE KEY/, 'the key is not returned')

  const caBefore = readFileSync(terminalFiles.caFile, 'utf8')
  const bad = await request('POST', '/rotation/terminal', { caPem: ca.bundlePem })
  t.same([bad.status, bad.json.code], [422, 'KEN_ERR_MAINT_ROTATION_INVALID'])
  t.equal(readFileSync(terminalFiles.caFile, 'utf8'), caBefore, 'the file is put back')
  const refusedAct = await lastAct()
  t.same([refusedAct?.kind, refusedAct?.actor, refusedAct?.refused, refusedAct?.reasonCode], ['maint.rotation', 'TE001', true, 'KEN_ERR_TERM_ROTATION_INVALID'])
})

t.test('ken-national\'s client certificate rotated through ken-maint, recorded; a CRL refused', async (t) => {
  const ca = openCa(path.join(pki, 'ca'))
  const issued = await ca.issueNationalClient({ prefectureCode: '40' })
  const r = await request('POST', '/rotation/national', { certPem: issued.chainPem, keyPem: issued.privateKeyPem })
  t.equal(r.status, 200)
  t.equal(readFileSync(nationalFiles.certFile, 'utf8'), issued.chainPem)
  const act = await lastAct()
  t.same([act?.kind, act?.actor, act?.refused, act?.note], ['maint.rotation', 'TE001', false, 'national: cert,key'])
  const crl = await request('POST', '/rotation/national', { crlPem: readFileSync(pkiFile('crl.pem'), 'utf8') })
  t.same([crl.status, crl.json.code], [400, 'KEN_ERR_MAINT_BAD_REQUEST'], 'ken-national takes no CRL')
  const server = await request('POST', '/rotation/national', { certPem: readFileSync(pkiFile('server.crt'), 'utf8'), keyPem: readFileSync(pkiFile('server.key'), 'utf8') })
  t.same([server.status, server.json.code], [422, 'KEN_ERR_MAINT_ROTATION_INVALID'], 'a server certificate is no client certificate')
  t.equal(readFileSync(nationalFiles.certFile, 'utf8'), issued.chainPem, 'the file is put back to the rotated one')
  t.same([(await lastAct())?.refused, (await lastAct())?.reasonCode], [true, 'KEN_ERR_NATIONAL_ROTATION_INVALID'])
})

t.test('the two sockets offer health, metrics and rotation only: every other operation refused', async (t) => {
  const offered = new Set<number>([MaintOperation.HEALTH, MaintOperation.METRICS, MaintOperation.ROTATE_TLS])
  for (const daemon of ['terminal', 'national']) {
    for (const [name, operation] of Object.entries(MaintOperation)) {
      if (offered.has(operation)) continue
      const r = await callMaint(sock(`${daemon}-maint`), { operation, technician: 'TE001', act: { kind: 'maint.login', refused: false, reasonCode: '', note: '', count: 0 } }).then(() => 'answered', (err: { code: string }) => err.code)
      t.equal(r, 'KEN_ERR_STORE_MAINT_UNSUPPORTED', `${daemon}: ${name} not offered`)
    }
  }
})
