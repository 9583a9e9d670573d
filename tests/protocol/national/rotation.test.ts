// Live rotation of ken-national's client certificate (SPEC §7, issue 16) through its maintenance
// socket: the link up at the rotation is not dropped and goes on forwarding; the next connection (the
// simulator restarted) presents the new certificate and the simulator accepts it; across it all every
// ACCEPTED position reaches the simulator exactly once. Unusable material is refused with a code.
import t from 'tap'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import { openCa } from '../../../certs/src/certificate-authority.ts'
import { MaintOperation } from '../../../proto/src/types.ts'
import { callMaint } from '../../../server/src/store/maint-client.ts'
import { Cs, FUKUOKA, item, person } from '../../unit/store/helpers.ts'
import { bench, recorder, until } from './helpers.ts'
import { promtoolProblems } from '../../helpers/prometheus.ts'

t.test('client certificate rotated: link kept, the next connection uses the new one, nothing lost or twice', async (t) => {
  const b = await bench(t)
  const daemon = await b.startStore()
  const store = daemon.store
  const fk = new Cs(FUKUOKA)
  const accepted: number[] = []
  const append = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) accepted.push(...(await store.append([item(fk.identity(person(i)))])).map((r) => r.logPosition))
  }
  await append(0, 10)
  const simLog = recorder()
  let sim = await b.startSim({ logger: simLog })
  const port = sim.port
  const maintSocket = path.join(b.dir, 'run', 'national-maint.sock')
  const log = recorder()
  const national = await b.startNational(port, { window: 4, maintSocket }, log)
  await until(async () => await store.outboxConfirmed() === accepted.at(-1), 60_000, 'first ten confirmed')
  const serials = (): string[] => simLog.events.filter((e) => e.event === 'national-sim.connected').map((e) => String(e.serial))
  const oldSerial = serials().at(-1)

  const rotate = async (tls: { certPem?: string, keyPem?: string, caPem?: string, crlPem?: string }): Promise<string> =>
    await callMaint(maintSocket, { operation: MaintOperation.ROTATE_TLS, technician: 'TE001', tls: { certPem: tls.certPem ?? '', keyPem: tls.keyPem ?? '', caPem: tls.caPem ?? '', crlPem: tls.crlPem ?? '' } }).then(() => 'rotated', (err: { code: string }) => err.code)
  const ca = openCa(path.join(b.pkiDir, 'ca'))
  const issued = await ca.issueNationalClient({ prefectureCode: '40' })
  const oldKey = readFileSync(path.join(b.pkiDir, 'national', 'ken-national.key'), 'utf8')
  t.equal(await rotate({ certPem: issued.chainPem, keyPem: oldKey }), 'KEN_ERR_NATIONAL_ROTATION_INVALID', 'a key that does not match is refused')
  t.equal(await rotate({ crlPem: readFileSync(path.join(b.pkiDir, 'crl.pem'), 'utf8') }), 'KEN_ERR_NATIONAL_ROTATION_INVALID', 'a CRL is refused: the link takes none')
  t.equal(await rotate({ caPem: issued.certificatePem }), 'KEN_ERR_NATIONAL_ROTATION_INVALID', 'a leaf is not a CA bundle')
  const server = readFileSync(path.join(b.pkiDir, 'server.crt'), 'utf8')
  t.equal(await rotate({ certPem: server, keyPem: readFileSync(path.join(b.pkiDir, 'server.key'), 'utf8') }), 'KEN_ERR_NATIONAL_ROTATION_INVALID', 'a server certificate is not a client certificate')

  const downsBefore = log.events.filter((e) => e.event === 'national.link.down').length
  t.equal(await rotate({ certPem: issued.chainPem, keyPem: issued.privateKeyPem, caPem: readFileSync(b.national.caFile, 'utf8') }), 'rotated')
  t.ok(log.events.some((e) => e.event === 'national.tls.rotated'), 'the rotation is logged')
  await append(10, 20)
  await until(async () => await store.outboxConfirmed() === accepted.at(-1), 60_000, 'forwarded over the link kept')
  t.equal(log.events.filter((e) => e.event === 'national.link.down').length, downsBefore, 'the rotation did not drop the link')
  t.equal(serials().at(-1), oldSerial, 'still the connection made with the old certificate')

  await sim.close()
  await append(20, 30)
  sim = await b.startSim({ port, logger: simLog })
  await until(async () => await store.outboxConfirmed() === accepted.at(-1), 60_000, 'all thirty confirmed after the reconnection')
  t.equal(serials().at(-1), issued.serialHex, 'the next connection presented the new certificate, and the simulator accepted it')
  t.not(issued.serialHex, oldSerial)
  t.same((await sim.store.forwards('40')).map((h) => h.forward.logPosition), accepted, 'every accepted position once, in order')

  const text = (await callMaint(maintSocket, { operation: MaintOperation.METRICS, technician: 'TE001' })).metricsText
  await until(() => national.lag().lagPositions === 0, 30_000, 'caught up')
  const caught = (await callMaint(maintSocket, { operation: MaintOperation.METRICS, technician: 'TE001' })).metricsText
  t.match(text, /^ken_national_outbox_lag_positions \d+$/m)
  t.match(caught, /^ken_national_outbox_lag_positions 0$/m)
  t.match(caught, /^ken_national_oldest_unconfirmed_age_seconds 0$/m)
  t.match(caught, new RegExp(`^ken_national_confirmed_position ${accepted.at(-1) ?? -1}$`, 'm'))
  t.match(caught, /^ken_national_link_up 1$/m)
  const storeText = await daemon.metrics.text()
  t.match(storeText, new RegExp(`^ken_store_outbox_confirmed_position ${accepted.at(-1) ?? -1}$`, 'm'), 'the store shows the confirmed position too (visible when ken-national is not)')
  t.same(await promtoolProblems(storeText), [], 'promtool: the store\'s metrics with the outbox')
  t.same(await promtoolProblems(caught), [], 'promtool: ken-national\'s metrics')
  const health = (await callMaint(maintSocket, { operation: MaintOperation.HEALTH, technician: 'TE001' })).health
  t.same([health?.daemon, health?.ok], ['national', true])
})
