// The operator terminal as real daemons: ken-store serve with the terminal socket and the set-up
// accounts, ken-terminal serving HTTPS, ken-term as the operator's command line. Logins, a search, a
// refusal for the technician, a clean stop; the accounts survive a restart without a second set-up;
// every act is in the log and `ken-store verify` passes.
import t from 'tap'
import path from 'node:path'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { DEV_PIN, devPki } from '../../certs/src/dev-pki.ts'
import { spawnDaemon, waitUntilReachable, type DaemonProcess } from '../../server/src/appliance/daemon-process.ts'
import { DEMO_PEOPLE, prepareDemoTerminal } from '../../server/src/appliance/demo-terminal.ts'
import { run } from '../../server/src/terminal/cli/ken-term.ts'
import { FUKUOKA, ROOT, freePort, kenStoreVerify } from './helpers/appliance.ts'

const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-terminal-'))
t.teardown(() => rmSync(state, { recursive: true, force: true }))
const pkiDir = path.join(state, 'pki')
const runDir = path.join(state, 'run')
const dbDir = path.join(state, 'db')
for (const d of [runDir, dbDir, path.join(state, 'logs'), path.join(state, 'keys')]) mkdirSync(d, { recursive: true, mode: 0o700 })
await devPki(pkiDir, [FUKUOKA], { people: DEMO_PEOPLE })
const files = prepareDemoTerminal(state, pkiDir, runDir)
const pinFile = path.join(state, 'pin')
writeFileSync(pinFile, `${DEV_PIN}\n`, { mode: 0o600 })
const port = await freePort()
const running: DaemonProcess[] = []
t.teardown(async () => { for (const d of running) await d.stop(10_000) })

async function startStore (): Promise<DaemonProcess> {
  const store = spawnDaemon('store', path.join(ROOT, 'server/bin/ken-store.js'), [
    'serve', '--db', dbDir, '--socket', path.join(runDir, 'store.sock'), '--key', path.join(state, 'keys', 'appliance.key'),
    '--terminal-socket', files.socketPath, '--accounts', files.accountsFile, '--bootstrap', files.bootstrapFile
  ], path.join(state, 'logs', 'store.log'))
  running.push(store)
  await waitUntilReachable(store, { path: files.socketPath }, 60_000)
  return store
}

const store = await startStore()
const terminal = spawnDaemon('terminal', path.join(ROOT, 'server/bin/ken-terminal.js'), [
  'serve', '--socket', files.socketPath, '--cert', path.join(pkiDir, 'server.crt'), '--key', path.join(pkiDir, 'server.key'), '--port', String(port), '--terminal-id', 'TERM-E2E'
], path.join(state, 'logs', 'terminal.log'))
running.push(terminal)
await waitUntilReachable(terminal, { host: '127.0.0.1', port }, 60_000)
const common = ['--url', `https://127.0.0.1:${port}/`, '--ca', path.join(pkiDir, 'ca.crt')]
const cred = (id: string): string[] => ['--id', id, '--cert', path.join(pkiDir, 'operators', `${id}.crt`), '--key', path.join(pkiDir, 'operators', `${id}.key`), '--pin-file', pinFile]
const sessionOf = (out: unknown): string => String((out as Record<string, unknown>).session ?? '')

t.test('the development accounts log in through the real daemons; the technician is refused', async (t) => {
  const op = await run(['login', ...common, ...cred('OP001')])
  t.equal(op.code, 0, JSON.stringify(op.out))
  const none = await run(['search', ...common, `--session=${sessionOf(op.out)}`, '--purpose', 'B5-RYOKEN', '--juminhyo', '12345678901'])
  t.equal(none.code, 0)
  t.match(none.out, { hits: [], national: 'unavailable' }, 'nobody in an empty file; no national link in this run')
  const te = await run(['login', ...common, ...cred('TE001')])
  const refused = await run(['search', ...common, `--session=${sessionOf(te.out)}`, '--purpose', 'B5-RYOKEN', '--juminhyo', '12345678901'])
  t.equal(refused.code, 1)
  t.match(refused.out, { code: 'KEN_ERR_TERM_ROLE_FORBIDDEN' })
  const ad = await run(['login', ...common, ...cred('AD001')])
  const listed = await run(['accounts', ...common, `--session=${sessionOf(ad.out)}`])
  t.same((listed.out as { accounts: Array<{ accountId: string }> }).accounts.map((a) => a.accountId), ['AD001', 'AD002', 'OP001', 'SO001', 'TE001'])
})

t.test('a store restart ends the sessions, keeps the accounts and does not set them up twice', async (t) => {
  const before = await run(['login', ...common, ...cred('OP001')])
  t.equal(await store.stop(20_000), 0, 'the store stops cleanly on SIGTERM')
  running.splice(running.indexOf(store), 1)
  await startStore()
  t.match((await run(['whoami', ...common, `--session=${sessionOf(before.out)}`])).out, { code: 'KEN_ERR_TERM_NO_SESSION' }, 'sessions end with the store')
  t.equal((await run(['login', ...common, ...cred('OP001')])).code, 0, 'the account is still there')
})

t.test('clean stop; the log verifies', async (t) => {
  for (const d of running.splice(0).reverse()) t.equal(await d.stop(20_000), 0, 'stopped on SIGTERM')
  const verify = await kenStoreVerify(dbDir)
  t.equal(verify.code, 0)
  t.ok((verify.report.entries ?? 0) >= 10, `${verify.report.entries} entries: set-up, logins, searches, refusals`)
})
