// Refused before MQTT starts (SPEC §3): plaintext, TLS ≤ 1.2, no client certificate, an unknown CA,
// an expired, revoked or non-CS certificate never get a CONNACK. CRLs reload without a restart and
// close live links whose certificate was revoked; a bad CRL file leaves the old one in force.
import t from 'tap'
import net from 'node:net'
import tls from 'node:tls'
import { writeFileSync } from 'node:fs'
import { topicFor } from '../../../proto/src/topics.ts'
import { startTestGateway, FUKUOKA, KITAKYUSHU } from './helpers/gateway.ts'
import { connectCs, drain, raw } from './helpers/mqtt.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'

const env = await startTestGateway([FUKUOKA, KITAKYUSHU])
t.teardown(env.close)
const fukuoka = env.pki.cs.get(FUKUOKA) as Credential
const CONNACK = 0x20

/** Open a connection, send CONNECT as soon as it allows, and report what came back. */
async function attempt (open: () => net.Socket, secure: boolean): Promise<{ connack: boolean, closed: boolean }> {
  const socket = open()
  socket.on('error', () => {})
  socket.once(secure ? 'secureConnect' : 'connect', () => { socket.write(raw.connect('cs-401307')) })
  const { bytes, closed } = await drain(socket as tls.TLSSocket, 3000)
  socket.destroy()
  return { connack: bytes[0] === CONNACK, closed }
}

const viaTls = (cred: Partial<Credential>, extra: tls.ConnectionOptions = {}) => () =>
  tls.connect({ host: '127.0.0.1', port: env.port, ca: env.pki.ca, ...(cred.cert === undefined ? {} : { cert: cred.cert, key: cred.key }), ...extra })

t.test('plaintext TCP gets no CONNACK', async (t) => {
  t.same(await attempt(() => net.connect(env.port, '127.0.0.1'), false), { connack: false, closed: true })
})

t.test('a TLS 1.2 client gets no CONNACK', async (t) => {
  t.same(await attempt(viaTls(fukuoka, { maxVersion: 'TLSv1.2' }), true), { connack: false, closed: true })
})

t.test('a client without a certificate gets no CONNACK', async (t) => {
  t.same(await attempt(viaTls({}), true), { connack: false, closed: true })
})

t.test('a certificate from an unknown CA gets no CONNACK', async (t) => {
  t.same(await attempt(viaTls(env.pki.unknownCa), true), { connack: false, closed: true })
})

t.test('an expired certificate gets no CONNACK', async (t) => {
  t.same(await attempt(viaTls(env.pki.expired), true), { connack: false, closed: true })
})

t.test('a revoked certificate gets no CONNACK (refused in the handshake)', async (t) => {
  const before = (await env.gw.metrics()).refusals.KEN_ERR_GW_TLS_HANDSHAKE ?? 0
  t.same(await attempt(viaTls(env.pki.revoked), true), { connack: false, closed: true })
  t.ok(((await env.gw.metrics()).refusals.KEN_ERR_GW_TLS_HANDSHAKE ?? 0) > before, 'node:tls refused it')
})

t.test('a certificate of our CA that is not a CS\'s gets no CONNACK', async (t) => {
  t.same(await attempt(viaTls(env.pki.notCs), true), { connack: false, closed: true })
})

t.test('a good CS still connects after all that', async (t) => {
  const c = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  const before = env.position()
  await c.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, 1), { qos: 1 })
  t.equal(env.position(), before + 1)
  await c.endAsync(true)
})

t.test('CRL reload: a revoked live link is closed and cannot come back', async (t) => {
  const cred = await env.pki.issue(KITAKYUSHU)
  const live = await connectCs(env.port, env.pki.ca, cred, 'cs-401005')
  const closed = new Promise<void>((resolve) => live.once('close', () => { resolve() }))
  await env.pki.revoke(cred.serialHex)
  await env.gw.reloadCrl()
  await closed
  t.notOk(live.connected, 'the live link was closed')
  live.end(true)
  t.same(await attempt(viaTls(cred), true), { connack: false, closed: true }, 'a new link is refused')
  t.same(await attempt(viaTls(fukuoka, { maxVersion: 'TLSv1.2' }), true), { connack: false, closed: true }, 'the reloaded TLS context still refuses TLS 1.2')
  const c = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  t.ok(c.connected, 'good links still connect under the new CRLs')
  await c.endAsync(true)
})

t.test('a CRL file that does not verify is refused and the old CRL stays in force', async (t) => {
  writeFileSync(env.pki.crlFile, '-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n')
  await t.rejects(env.gw.reloadCrl(), { code: 'KEN_ERR_CRL_MALFORMED' })
  t.same(await attempt(viaTls(env.pki.revoked), true), { connack: false, closed: true }, 'revoked stays revoked')
  const c = await connectCs(env.port, env.pki.ca, fukuoka, 'cs-401307')
  t.ok(c.connected, 'good links still connect')
  await c.endAsync(true)
})

t.test('with crlStale "warn" revocation is the verifier\'s alone, and it still refuses before MQTT', async (t) => {
  const warn = await startTestGateway([FUKUOKA], { crlStale: 'warn' })
  t.teardown(warn.close)
  const socket = tls.connect({ host: '127.0.0.1', port: warn.port, ca: warn.pki.ca, cert: warn.pki.revoked.cert, key: warn.pki.revoked.key })
  socket.on('error', () => {})
  socket.once('secureConnect', () => { socket.write(raw.connect('cs-401307')) })
  const { bytes, closed } = await drain(socket, 3000)
  t.same({ connack: bytes[0] === CONNACK, closed }, { connack: false, closed: true })
  t.equal((await warn.gw.metrics()).refusals.KEN_ERR_CERT_REVOKED, 1, 'refused by the verifier as KEN_ERR_CERT_REVOKED')
  const c = await connectCs(warn.port, warn.pki.ca, warn.pki.cs.get(FUKUOKA) as Credential, 'cs-401307')
  t.ok(c.connected)
  await c.endAsync(true)
})

t.test('a port already in use fails the start with the socket error, leaving nothing behind', async (t) => {
  await t.rejects(startTestGateway([FUKUOKA], { port: env.port }), { code: 'EADDRINUSE' })
})
