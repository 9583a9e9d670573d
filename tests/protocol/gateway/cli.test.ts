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
import { BIN, CLI, startGatewayProcess } from './helpers/gateway-process.ts'
import { payloadFor } from './helpers/updates.ts'
import type { Credential } from './helpers/pki.ts'
import { tempDir } from '../../helpers/temp-dir.ts'
import { DAEMON_MALLOC_ENV } from '../../../server/src/appliance/malloc-env.ts'

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

t.test('the bin compiles in its own thread: no tsx ESM hooks thread and its isolate (SPEC §8 gateway RSS)', async (t) => {
  // tsx's ESM hooks run in a thread of their own on Node 20, with a V8 isolate: ~34 MB of anonymous
  // memory for the process's life. The bin uses tsx's CommonJS hook instead (gateway/bin/ken-gateway.js).
  // tap passes its own --import (a loader with hooks of its own) to child processes in NODE_OPTIONS;
  // the appliance starts the gateway without it (firmware-config/systemd/ken-gateway.service).
  // Its malloc settings too (server/src/appliance/malloc-env.ts: jemalloc where installed).
  const { NODE_OPTIONS: _tapOptions, ...inherited } = process.env
  const env = { ...inherited, ...DAEMON_MALLOC_ENV }
  const anonAtStart = async (argv: readonly string[]): Promise<number> => {
    const gw = await startGatewayProcess([FUKUOKA], {}, { argv, env })
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000))
      return gw.rssAnon()
    } finally {
      await gw.close()
    }
  }
  const viaBin = await anonAtStart([BIN])
  const viaEsmHooks = await anonAtStart(['--import', 'tsx', CLI])
  const MiB = 1024 * 1024
  t.ok(viaBin + 20 * MiB < viaEsmHooks, `anonymous memory at start: bin ${Math.round(viaBin / MiB)} MB, --import tsx ${Math.round(viaEsmHooks / MiB)} MB`)
})
