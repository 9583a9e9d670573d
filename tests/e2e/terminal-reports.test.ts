// Statistics through the real daemons (ken-store serve with its reconciliation and terminal sockets,
// ken-terminal, ken-term): the month's report is computed by the store process from its log, including
// the reconciliation's mismatch list (empty: no run), and the statistics run is itself in the log.
import t from 'tap'
import path from 'node:path'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { DEV_PIN, devPki } from '../../certs/src/dev-pki.ts'
import { spawnDaemon, waitUntilReachable, type DaemonProcess } from '../../server/src/appliance/daemon-process.ts'
import { DEMO_PEOPLE, prepareDemoTerminal } from '../../server/src/appliance/demo-terminal.ts'
import { run } from '../../server/src/terminal/cli/ken-term.ts'
import { FUKUOKA, ROOT, freePort, kenStoreVerify } from './helpers/appliance.ts'

const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-term-reports-'))
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

const store = spawnDaemon('store', path.join(ROOT, 'server/bin/ken-store.js'), [
  'serve', '--db', dbDir, '--socket', path.join(runDir, 'store.sock'), '--key', path.join(state, 'keys', 'appliance.key'),
  '--terminal-socket', files.socketPath, '--accounts', files.accountsFile, '--bootstrap', files.bootstrapFile
], path.join(state, 'logs', 'store.log'))
running.push(store)
await waitUntilReachable(store, { path: files.socketPath }, 60_000)
const terminal = spawnDaemon('terminal', path.join(ROOT, 'server/bin/ken-terminal.js'), [
  'serve', '--socket', files.socketPath, '--cert', path.join(pkiDir, 'server.crt'), '--key', path.join(pkiDir, 'server.key'), '--port', String(port), '--terminal-id', 'TERM-E2E'
], path.join(state, 'logs', 'terminal.log'))
running.push(terminal)
await waitUntilReachable(terminal, { host: '127.0.0.1', port }, 60_000)
const common = ['--url', `https://127.0.0.1:${port}/`, '--ca', path.join(pkiDir, 'ca.crt')]
const cred = (id: string): string[] => ['--id', id, '--cert', path.join(pkiDir, 'operators', `${id}.crt`), '--key', path.join(pkiDir, 'operators', `${id}.key`), '--pin-file', pinFile]
const sessionOf = (out: unknown): string => String((out as Record<string, unknown>).session ?? '')

t.test('this month\'s statistics from the store process; the operator is refused', async (t) => {
  const month = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 7)
  const op = await run(['login', ...common, ...cred('OP001')])
  await run(['search', ...common, `--session=${sessionOf(op.out)}`, '--purpose', 'B5-RYOKEN', '--juminhyo', '12345678901'])
  const ad = await run(['login', ...common, ...cred('AD001')])
  const stats = await run(['statistics', ...common, `--session=${sessionOf(ad.out)}`, '--month', month, '--reason', 'E2E'])
  t.equal(stats.code, 0, JSON.stringify(stats.out))
  const rows = (stats.out as { rows: Array<{ table: string, keys: string[], count: number }> }).rows
  t.same(rows.filter((r) => r.table === 'usage-operator').map((r) => [r.keys[0], r.count]), [['OP001', 1]])
  t.same(rows.filter((r) => r.table === 'mismatches'), [], 'no reconciliation run: an empty 不一致リスト (H16)')
  const refused = await run(['statistics', ...common, `--session=${sessionOf(op.out)}`, '--month', month])
  t.match(refused.out, { code: 'KEN_ERR_TERM_ROLE_FORBIDDEN' })
})

t.test('clean stop; the log verifies', async (t) => {
  for (const d of running.splice(0).reverse()) t.equal(await d.stop(20_000), 0, 'stopped on SIGTERM')
  t.equal((await kenStoreVerify(dbDir)).code, 0)
})
