// Rotation without restart (SPEC §7, issue 16): while 60 CS are connected and sending, the gateway's
// server certificate and the CRL are swapped through its maintenance socket. Links already up are
// kept and every update is committed exactly once (none lost, none duplicated); new handshakes
// meet the new certificate; the CS whose certificate the new CRL revokes is closed and refused on
// its next connection. A rotation with a key that does not match is refused and changes nothing.
import t from 'tap'
import path from 'node:path'
import tls from 'node:tls'
import { readFileSync, writeFileSync } from 'node:fs'
import { X509Certificate } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { topicFor } from '../../../proto/src/topics.ts'
import { MaintOperation, ResultStatus } from '../../../proto/src/types.ts'
import { callMaint } from '../../../server/src/store/maint-client.ts'
import { startTestGateway } from './helpers/gateway.ts'
import { connectCs, drain, raw, ResultInbox } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'
import { tempDirUntilExit } from '../../helpers/temp-dir.ts'

interface MunicipalityFile { readonly municipalities: ReadonlyArray<{ readonly code: string }> }
const codes = (JSON.parse(readFileSync(new URL('../../../firmware-config/municipalities/fukuoka.json', import.meta.url), 'utf8')) as MunicipalityFile).municipalities.map((m) => m.code)
t.equal(codes.length, 60, 'Fukuoka\'s 60 municipalities')
const maintSocket = path.join(tempDirUntilExit('ken-rot-'), 'gateway-maint.sock')
const env = await startTestGateway(codes, { maintSocket, maxConnectionsPerSecond: 1000 })
t.teardown(env.close)
const PER_PHASE = 5

/** Update `i` of CS number `k`: a person of its own. */
const payload = (k: number, code: string, seq: number): Buffer => payloadFor(code, seq, k * 100 + seq)

const clients: Array<{ code: string, c: MqttClient, inbox: ResultInbox }> = []
for (const code of codes) {
  const c = await connectCs(env.port, env.pki.ca, env.pki.cs.get(code) as Credential, `cs-${code}`)
  const inbox = new ResultInbox(c)
  await c.subscribeAsync(topicFor('result', code), { qos: 1 })
  clients.push({ code, c, inbox })
}
t.teardown(async () => { await Promise.all(clients.map(async ({ c }) => await c.endAsync(true).catch(() => undefined))) })

const send = async (from: number): Promise<void> => {
  await Promise.all(clients.map(async ({ code, c }, k) => {
    for (let s = from; s < from + PER_PHASE; s++) await c.publishAsync(topicFor('update', code), payload(k, code, s), { qos: 1 })
  }))
}

const serverSerial = async (): Promise<string> => await new Promise((resolve, reject) => {
  const cred = env.pki.cs.get(codes[1] as string) as Credential
  const s = tls.connect({ host: '127.0.0.1', port: env.port, ca: env.pki.ca, cert: cred.cert, key: cred.key, servername: 'localhost' }, () => {
    resolve(s.getPeerCertificate().serialNumber)
    s.destroy()
  })
  s.once('error', reject)
})

t.test('certificate and CRL rotated under load: links kept, nothing lost or duplicated, the revoked CS refused', async (t) => {
  const before = env.position()
  const oldSerial = await serverSerial()
  const victim = clients[0] as typeof clients[number]
  const first = send(1)
  // The new material: a server certificate from the same CA, and a CRL revoking the victim's.
  const ca = openCa(path.join(env.pki.dir, 'ca'))
  const issued = await ca.issueServer({ names: ['localhost', '127.0.0.1', '::1'] })
  const refusedMismatch = await callMaint(maintSocket, { operation: MaintOperation.ROTATE_TLS, technician: 'TE001', tls: { certPem: issued.certificatePem + issued.chainPem, keyPem: readFileSync(env.pki.keyFile, 'utf8'), caPem: '', crlPem: '' } }).then(() => 'rotated', (err: { code: string }) => err.code)
  t.equal(refusedMismatch, 'KEN_ERR_GW_ROTATION_INVALID', 'a key that does not match is refused')
  await callMaint(maintSocket, { operation: MaintOperation.ROTATE_TLS, technician: 'TE001', tls: { certPem: issued.certificatePem + issued.chainPem, keyPem: issued.privateKeyPem, caPem: '', crlPem: '' } })
  await first
  t.not(await serverSerial(), oldSerial, 'a new handshake meets the new certificate')
  t.equal(new X509Certificate(issued.certificatePem).serialNumber.toLowerCase().replace(/^0+/, ''), (await serverSerial()).toLowerCase().replace(/^0+/, ''))

  let victimClosedAt = 0
  const victimClosed = new Promise<void>((resolve) => victim.c.once('close', () => { victimClosedAt = Date.now(); resolve() }))
  const second = Promise.all(clients.slice(1).map(async ({ code, c }, k) => {
    for (let s = PER_PHASE + 1; s <= 2 * PER_PHASE; s++) await c.publishAsync(topicFor('update', code), payload(k + 1, code, s), { qos: 1 })
  }))
  const victimSerial = new X509Certificate(env.pki.cs.get(victim.code)?.cert as string).serialNumber
  await ca.revoke(victimSerial, 'keyCompromise')
  const crl = (await ca.generateCrl()).pem
  writeFileSync(env.pki.crlFile, crl)
  const rotatedAt = Date.now()
  await callMaint(maintSocket, { operation: MaintOperation.ROTATE_TLS, technician: 'TE001', tls: { certPem: '', keyPem: '', caPem: '', crlPem: crl } })
  await second
  await victimClosed
  t.ok(victimClosedAt >= rotatedAt && !victim.c.connected, 'the revoked CS\'s live link was closed by the CRL rotation')
  const cred = env.pki.cs.get(victim.code) as Credential
  const socket = tls.connect({ host: '127.0.0.1', port: env.port, ca: env.pki.ca, cert: cred.cert, key: cred.key })
  socket.on('error', () => {})
  socket.once('secureConnect', () => { socket.write(raw.connect(`cs-${victim.code}`)) })
  const { bytes, closed } = await drain(socket, 5000)
  socket.destroy()
  t.ok(closed && bytes[0] !== 0x20, 'the revoked CS is refused on its next connection (no CONNACK)')

  const expected = clients.length * PER_PHASE + (clients.length - 1) * PER_PHASE
  for (const [k, { inbox }] of clients.entries()) await inbox.waitFor(k === 0 ? PER_PHASE : 2 * PER_PHASE)
  const results = clients.flatMap(({ inbox }) => inbox.results)
  t.equal(results.length, expected, 'every update answered once')
  t.ok(results.every((r) => r.status === ResultStatus.ACCEPTED), 'all accepted: none duplicated, none rejected')
  t.equal(env.position() - before, expected, 'the log grew by exactly the updates sent')
  t.ok(clients.slice(1).every(({ c }) => c.connected), 'every other link was kept')
})
