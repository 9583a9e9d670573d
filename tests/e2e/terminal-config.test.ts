// The systemd path of the terminal (issue 13): `ken-store serve --config FILE` serves the terminal
// socket from the appliance configuration (paths.terminalSocket, its own mode terminal.socketMode, the
// accounts file, set-up accounts by --bootstrap), and `ken-terminal serve --config FILE` reaches it:
// an administrator logs in with both factors over HTTPS, the login recorded by the store.
import t from 'tap'
import https from 'node:https'
import path from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { sign } from 'node:crypto'
import { devPki, DEV_PIN } from '../../certs/src/dev-pki.ts'
import { openOperatorCredential } from '../../certs/src/operator-credential.ts'
import { loginSignedData } from '../../server/src/store/terminal/sessions.ts'
import { ROOT, freePort } from './helpers/appliance.ts'

const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-tcfg-'))
t.teardown(() => { rmSync(state, { recursive: true, force: true }) })

interface Daemon { child: ChildProcess, stderr: () => string, exited: Promise<number | null> }

function spawnBin (bin: string, args: string[]): Daemon {
  const child = spawn(process.execPath, [path.join(ROOT, bin), ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr?.setEncoding('utf8').on('data', (s: string) => { err += s })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code) }))
  t.teardown(() => { child.kill('SIGKILL') })
  return { child, stderr: () => err, exited }
}

/** Wait for a log event (bounded: 120 s on a loaded machine), or the process's end. */
async function waitFor (d: Daemon, event: string): Promise<boolean> {
  let done = false
  void d.exited.then(() => { done = true })
  for (let i = 0; i < 1200 && !done; i++) {
    if (d.stderr().includes(`"event":"${event}"`)) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return d.stderr().includes(`"event":"${event}"`)
}

async function post (port: number, route: string, body: unknown, ca: Buffer): Promise<{ status: number, json: Record<string, unknown> }> {
  const payload = Buffer.from(JSON.stringify(body))
  return await new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: route, method: 'POST', servername: 'localhost', ca, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }) })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

t.test('ken-store and ken-terminal from one configuration file: the terminal socket is served and reached', async (t) => {
  const pkiDir = path.join(state, 'pki')
  await devPki(pkiDir, ['401307'], { people: [{ id: 'AD001', role: 'admin' }] })
  const port = await freePort()
  const config = path.join(state, 'ken.json')
  writeFileSync(config, JSON.stringify({ paths: { stateDir: state }, terminal: { port }, management: { port: await freePort() } }))
  writeFileSync(path.join(state, 'pin'), `${DEV_PIN}\n`, { mode: 0o600 })
  const bootstrap = path.join(state, 'bootstrap.json')
  writeFileSync(bootstrap, JSON.stringify([{ accountId: 'AD001', role: 'system-admin', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], certificateFile: path.join(pkiDir, 'operators', 'AD001.crt'), pinFile: path.join(state, 'pin') }]))

  const store = spawnBin('server/bin/ken-store.js', ['serve', '--config', config, '--bootstrap', bootstrap])
  t.ok(await waitFor(store, 'store.terminal.ready'), 'the store serves the terminal socket')
  const socket = path.join(state, 'terminal', 'terminal.sock')
  const st = statSync(socket)
  t.ok(st.isSocket(), 'at paths.terminalSocket')
  t.equal(st.mode & 0o777, 0o660, 'terminal.socketMode')
  t.equal(statSync(path.join(state, 'accounts', 'terminal-accounts.json')).mode & 0o777, 0o600, 'the accounts file at paths.terminalAccountsFile, 0600')
  t.equal(statSync(path.join(state, 'accounts')).mode & 0o777, 0o700, 'in a directory of the store alone')

  const terminal = spawnBin('server/bin/ken-terminal.js', ['serve', '--config', config, '--terminal-id', 'TERM-CFG'])
  t.ok(await waitFor(terminal, 'terminal.ready'), 'ken-terminal listens')
  const ca = readFileSync(path.join(pkiDir, 'ca.crt'))
  const begun = await post(port, '/api/login/challenge', { accountId: 'AD001' }, ca)
  t.equal(begun.status, 200)
  const challenge = String(begun.json.challenge ?? '')
  const key = openOperatorCredential(readFileSync(path.join(pkiDir, 'operators', 'AD001.crt'), 'utf8'), readFileSync(path.join(pkiDir, 'operators', 'AD001.key'), 'utf8'), DEV_PIN).privateKey
  const signature = sign('sha256', loginSignedData(Buffer.from(challenge, 'base64')), key).toString('base64')
  const login = await post(port, '/api/login', { accountId: 'AD001', challenge, signature, pin: DEV_PIN }, ca)
  t.equal(login.status, 200, 'both factors accepted by the store behind the configured socket')
  t.equal(login.json.role, 'system-admin')

  terminal.child.kill('SIGTERM')
  t.equal(await terminal.exited, 0, 'ken-terminal stops cleanly')
  store.child.kill('SIGTERM')
  t.equal(await store.exited, 0, 'the store stops cleanly')
})
