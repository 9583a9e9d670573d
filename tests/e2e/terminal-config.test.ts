// The systemd path of the terminal (issue 13): `ken-store serve --config FILE` serves the terminal
// socket from the appliance configuration (paths.terminalSocket, its own mode terminal.socketMode, the
// accounts file, set-up accounts by --bootstrap), and `ken-terminal serve --config FILE` reaches it:
// an administrator logs in with both factors over HTTPS, the login recorded by the store. Then 物理削除
// through the real daemons with ken-term (issue 17 item 3): filed by AD001, refused to AD001 as
// approver, approved by SO001; the person is gone from OP001's search; `ken-store verify` passes.
import t from 'tap'
import https from 'node:https'
import path from 'node:path'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { sign } from 'node:crypto'
import { devPki, DEV_PIN } from '../../certs/src/dev-pki.ts'
import { openOperatorCredential } from '../../certs/src/operator-credential.ts'
import { loginSignedData } from '../../server/src/store/terminal/sessions.ts'
import { ROOT, freePort, kenStoreVerify } from './helpers/appliance.ts'
import { AppendClient } from '../../server/src/store/append-client.ts'
import { run } from '../../server/src/terminal/cli/ken-term.ts'
import { Cs, FUKUOKA, item, person } from '../unit/store/helpers.ts'

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
  await devPki(pkiDir, [FUKUOKA], { people: [{ id: 'AD001', role: 'admin' }, { id: 'SO001', role: 'security' }, { id: 'OP001', role: 'operator' }] })
  const port = await freePort()
  const config = path.join(state, 'ken.json')
  writeFileSync(config, JSON.stringify({ paths: { stateDir: state }, terminal: { port }, management: { port: await freePort() } }))
  writeFileSync(path.join(state, 'pin'), `${DEV_PIN}\n`, { mode: 0o600 })
  const bootstrap = path.join(state, 'bootstrap.json')
  const account = (accountId: string, role: string, purposes: string[]): object => ({ accountId, role, department: 'D-SHICHOSON', branch: 'HONCHO', purposes, certificateFile: path.join(pkiDir, 'operators', `${accountId}.crt`), pinFile: path.join(state, 'pin') })
  writeFileSync(bootstrap, JSON.stringify([account('AD001', 'system-admin', []), account('SO001', 'security-officer', []), account('OP001', 'operator', ['B5-RYOKEN'])]))

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

  // Residents as the gateway would append them, then 物理削除 with ken-term.
  const victim = person(3)
  const client = await AppendClient.connect(path.join(state, 'run', 'store.sock'))
  const cs = new Cs(FUKUOKA)
  await client.append([person(1), person(2), victim].map((p) => item(cs.identity(p))))
  await client.close()
  const common = ['--url', `https://127.0.0.1:${port}/`, '--ca', path.join(pkiDir, 'ca.crt')]
  const sessionOf = async (id: string): Promise<string[]> => {
    const r = await run(['login', ...common, '--id', id, '--cert', path.join(pkiDir, 'operators', `${id}.crt`), '--key', path.join(pkiDir, 'operators', `${id}.key`), '--pin-file', path.join(state, 'pin')])
    return [`--session=${String((r.out as Record<string, unknown>).session)}`]
  }
  const [admin, officer, operator] = [await sessionOf('AD001'), await sessionOf('SO001'), await sessionOf('OP001')]
  const search = async (): Promise<unknown> => (await run(['search', ...common, ...operator, '--purpose', 'B5-RYOKEN', '--juminhyo', victim.juminhyoCode])).out
  t.match(await search(), { hits: [{ items: { name: victim.nameKanji } }] }, 'found before')
  const filed = await run(['deletion', 'file', ...common, ...admin, '--juminhyo', victim.juminhyoCode, '--reference', 'FUK-E2E-1'])
  t.equal(filed.code, 0, JSON.stringify(filed.out))
  const id = (filed.out as { requests: Array<{ requestId: string }> }).requests[0]?.requestId ?? ''
  t.match((await run(['deletion', 'approve', ...common, ...admin, '--request', id])).out, { code: 'KEN_ERR_TERM_DELETION_SAME_PERSON' })
  const approved = await run(['deletion', 'approve', ...common, ...officer, '--request', id])
  t.equal(approved.code, 0, JSON.stringify(approved.out))
  t.match(await search(), { hits: [] }, 'gone from search')

  terminal.child.kill('SIGTERM')
  t.equal(await terminal.exited, 0, 'ken-terminal stops cleanly')
  store.child.kill('SIGTERM')
  t.equal(await store.exited, 0, 'the store stops cleanly')
  const verified = await kenStoreVerify(path.join(state, 'db'))
  t.equal(verified.code, 0, 'ken-store verify passes after the erasure')
  t.equal(verified.report.ok, true)
  // After the deletion nothing of the person is in clear anywhere the store writes (db, accounts, run).
  const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? files(path.join(d, e.name)) : e.isFile() ? [path.join(d, e.name)] : [])
  const written = ['db', 'accounts'].flatMap((d) => files(path.join(state, d))).map((f) => readFileSync(f))
  for (const needle of [victim.juminhyoCode, victim.nameKanji, victim.nameKana, victim.kojinBango, victim.address]) {
    t.notOk(written.some((b) => b.includes(Buffer.from(needle, 'utf8'))), 'no trace of the person in clear in the store\'s files')
  }
})
