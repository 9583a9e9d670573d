// Mutual authentication on the national link (SPEC §5.1; B1.2 "認証できない相手先への情報の提供がされない"):
// a national server with a certificate from the wrong CA, an expired one, or none at all (no TLS) is
// sent nothing, and ken-national logs the refusal; a ken-national whose client certificate was revoked
// by the prefecture's CA is refused by the national side (its CRL) and nothing is held.
import t from 'tap'
import net from 'node:net'
import tls from 'node:tls'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { nationalPki } from '../../sim/national/ca.ts'
import { Cs, FUKUOKA, item, person } from '../../unit/store/helpers.ts'
import { bench, recorder, until } from './helpers.ts'

async function withResidents (b: Awaited<ReturnType<typeof bench>>): Promise<void> {
  const daemon = await b.startStore()
  const fk = new Cs(FUKUOKA)
  for (let i = 0; i < 3; i++) await daemon.store.append([item(fk.identity(person(i)))])
}

for (const kind of ['wrong CA', 'expired'] as const) {
  t.test(`a national server with a certificate ${kind === 'expired' ? 'that expired' : 'from the wrong CA'} is sent nothing`, async (t) => {
    const b = await bench(t)
    await withResidents(b)
    const other = kind === 'expired'
      ? await nationalPki(b.dir + '/national-pki', { name: 'expired', expired: true })
      : await nationalPki(path.join(b.dir, 'impostor-pki'), { organization: 'impostor' })
    const simLog = recorder()
    const sim = await b.startSim({ cert: readFileSync(other.certFile), key: readFileSync(other.keyFile), logger: simLog })
    const log = recorder()
    const national = await b.startNational(sim.port, {}, log)
    await until(() => log.events.filter((e) => e.event === 'national.link.refused').length >= 2, 60_000, 'refusals logged')
    const refusal = log.events.find((e) => e.event === 'national.link.refused')
    t.match(refusal?.reason, kind === 'expired' ? /CERT_HAS_EXPIRED/ : /UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY|SELF_SIGNED|unable/i)
    t.equal(sim.stats.received, 0, 'no forward reached it')
    t.same(await sim.store.forwards('40'), [])
    t.notOk(log.events.some((e) => e.event === 'national.link.up'))
    t.equal(national.lag().linkUp, false)
    t.equal(national.lag().confirmed, 0)
  })
}

t.test('a peer without TLS (no certificate at all) gets no forward', async (t) => {
  const b = await bench(t)
  await withResidents(b)
  const received: Buffer[] = []
  const plain = net.createServer((socket) => {
    socket.on('data', (c: Buffer) => received.push(c))
    socket.on('error', () => undefined)
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')
  })
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()))
  t.teardown(() => { plain.close() })
  const log = recorder()
  await b.startNational((plain.address() as net.AddressInfo).port, {}, log)
  await until(() => log.events.filter((e) => e.event === 'national.link.refused').length >= 2, 60_000, 'refusals logged')
  const bytes = Buffer.concat(received)
  t.ok(bytes.length > 0 && bytes[0] === 0x16, 'all it saw was a TLS ClientHello')
  t.notOk(bytes.includes(Buffer.from(person(1).juminhyoCode)), 'no 住民票コード')
  t.notOk(bytes.includes(Buffer.from(person(1).nameKanji)), 'no name')
})

t.test('a revoked ken-national certificate is refused by the national side; nothing is held', async (t) => {
  const b = await bench(t)
  await withResidents(b)
  const ca = openCa(path.join(b.pkiDir, 'ca'))
  const issued = ca.records().issued.find((r) => r.kind === 'national-client')
  if (issued === undefined) throw new Error('no national-client certificate issued')
  await ca.revoke(issued.serialHex, 'keyCompromise')
  const crl = (await ca.generateCrl()).pem // the issuing CA's CRL and the root's
  const simLog = recorder()
  const sim = await b.startSim({ crl, logger: simLog })
  const log = recorder()
  await b.startNational(sim.port, {}, log)
  await until(() => simLog.events.filter((e) => e.event === 'national-sim.tls.refused').length >= 2, 60_000, 'the simulator refused the peer')
  t.match(simLog.events.find((e) => e.event === 'national-sim.tls.refused')?.reason, /REVOKED|revoked/i)
  t.equal(sim.stats.received, 0)
  t.same(await sim.store.forwards('40'), [])
  t.notOk(log.events.some((e) => e.event === 'national.link.up'))
})

t.test('a client without a certificate, or with a CS certificate, is refused by the national side', async (t) => {
  const b = await bench(t)
  const simLog = recorder()
  const sim = await b.startSim({ logger: simLog })
  const attempt = async (cred: { cert?: Buffer, key?: Buffer }): Promise<void> => {
    const socket = tls.connect({ host: 'localhost', port: sim.port, ca: readFileSync(b.national.caFile), minVersion: 'TLSv1.3', ...cred })
    socket.on('error', () => undefined)
    socket.on('secureConnect', () => socket.write(Buffer.from([0x10, 0x00]))) // the first bytes of an MQTT CONNECT
    await new Promise<void>((resolve) => socket.once('close', () => resolve()))
  }
  await attempt({})
  await until(() => simLog.events.filter((e) => e.event === 'national-sim.tls.refused').length >= 1, 30_000, 'no certificate refused')
  await attempt({ cert: readFileSync(path.join(b.pkiDir, 'cs', `${FUKUOKA}.crt`)), key: readFileSync(path.join(b.pkiDir, 'cs', `${FUKUOKA}.key`)) })
  await until(() => simLog.events.some((e) => e.event === 'national-sim.peer.refused'), 30_000, 'a CS certificate refused')
  t.equal(sim.stats.refusedPeers, 2)
  t.notOk(simLog.events.some((e) => e.event === 'national-sim.connected'))
})
