// ken-gateway as the appliance runs it: a firmware-config file, the PKI under paths.pkiDir, the
// store daemon's socket at paths.storeSocket; an update accepted end to end; SIGHUP reloads the
// CRLs, SIGTERM stops cleanly; a refused configuration exits 2 naming the key.
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { topicFor } from '../../../proto/src/topics.ts'
import { ResultStatus } from '../../../proto/src/types.ts'
import { connectCs, ResultInbox } from './helpers/mqtt.ts'
import { FUKUOKA } from './helpers/gateway.ts'
import { BIN, startGatewayProcess } from './helpers/gateway-process.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

t.test('a refused configuration exits 2 and names the key', async (t) => {
  const dir = tempDir(t, 'ken-gw-cli-')
  writeFileSync(join(dir, 'ken.json'), JSON.stringify({ gateway: { maxPacketBytes: 'big' } }))
  const r = spawnSync(process.execPath, [BIN, '--config', join(dir, 'ken.json')], { encoding: 'utf8', timeout: 30_000 })
  t.equal(r.status, 2)
  t.match(r.stderr, /KEN_ERR_CONFIG_INVALID/)
  t.match(r.stderr, /gateway\.maxPacketBytes/)
})

t.test('an unknown argument exits 2 with the usage', async (t) => {
  const r = spawnSync(process.execPath, [BIN, '--port', '1'], { encoding: 'utf8', timeout: 30_000 })
  t.equal(r.status, 2)
  t.match(r.stderr, /usage: ken-gateway/)
})

t.test('the daemon serves a CS end to end, reloads CRLs on SIGHUP and stops on SIGTERM', async (t) => {
  const gw = await startGatewayProcess([FUKUOKA])
  t.teardown(gw.close)
  const c = await connectCs(gw.port, gw.ca, gw.cs.get(FUKUOKA) as Credential, 'cs-401307')
  const inbox = new ResultInbox(c)
  await c.subscribeAsync(topicFor('result', FUKUOKA), { qos: 1 })
  await c.publishAsync(topicFor('update', FUKUOKA), payloadFor(FUKUOKA, 1), { qos: 1 })
  const [r] = await inbox.waitFor(1)
  t.equal(r?.status, ResultStatus.ACCEPTED)
  t.equal(gw.store.store.head().position, 1, 'committed by the real store')

  // A broken CRL file: refused and logged; the CRLs in force stay.
  writeFileSync(join(gw.state, 'pki/crl.pem'), 'not a CRL\n')
  gw.child.kill('SIGHUP')
  await gw.seen('gateway.crl.reload_failed')
  t.ok(c.connected, 'a refused CRL file changes nothing for live links')

  const exited = new Promise<number | null>((resolve) => gw.child.once('exit', (code) => { resolve(code) }))
  gw.child.kill('SIGTERM')
  t.equal(await exited, 0, 'SIGTERM: clean exit')
  t.ok(gw.lines.some((l) => l.event === 'gateway.stopped'))
  t.ok(gw.lines.every((l) => typeof l.event === 'string'), 'every log line has an event name')
  c.end(true)
})
