// The ken-maint command as the unit runs it: it starts from the appliance configuration, answers a
// technician over mutual TLS, and stops on SIGTERM; a configuration it refuses stops it with exit 2
// before it listens.
import t from 'tap'
import https from 'node:https'
import path from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { devPki, DEV_PIN } from '../../certs/src/dev-pki.ts'
import { ROOT, freePort } from './helpers/appliance.ts'

const BIN = path.join(ROOT, 'server/bin/ken-maint.js')
const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-maint-'))
t.teardown(() => { rmSync(state, { recursive: true, force: true }) })

t.test('a refused configuration: exit 2, nothing listens', async (t) => {
  const config = path.join(state, 'bad.json')
  writeFileSync(config, JSON.stringify({ paths: { stateDir: state }, management: { host: '10.0.0.1' } }))
  const r = spawnSync(process.execPath, [BIN, '--config', config], { encoding: 'utf8', timeout: 60_000 })
  t.equal(r.status, 2)
  t.match(r.stderr, /KEN_ERR_CONFIG_INVALID/)
})

t.test('from the configuration: a technician gets an answer, SIGTERM stops it', async (t) => {
  await devPki(path.join(state, 'pki'), ['401307'])
  const port = await freePort()
  const config = path.join(state, 'config.json')
  writeFileSync(config, JSON.stringify({ paths: { stateDir: state }, management: { port } }))
  const child = spawn(process.execPath, [BIN, '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  t.teardown(() => { child.kill('SIGKILL') })
  for (let i = 0; i < 600 && !err.includes('maint.started'); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  const ops = path.join(state, 'pki', 'operators')
  const status = await new Promise<number>((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, path: '/metrics', servername: 'localhost', ca: readFileSync(path.join(state, 'pki', 'ca.crt')), cert: readFileSync(path.join(ops, 'TE001.crt')), key: readFileSync(path.join(ops, 'TE001.key')), passphrase: DEV_PIN }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    }).once('error', reject)
  })
  // No store is running: the login cannot be recorded, so nothing is served (an act that cannot be
  // recorded is not done).
  t.equal(status, 503, 'refused while the store cannot record the login')
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'stopped cleanly on SIGTERM')
})
