// The README's first command (`npm start`) brings up the demo appliance end to end: a fresh state
// directory gets the development PKI (private keys 0600), the store daemon and the gateway start as
// their own processes, one simulated CS per municipality of 福岡県 sends real updates over mutual
// TLS, the non-TTY output reports the figures, the run stops cleanly after --duration, and the log it
// leaves passes `ken-store verify`.
import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, rmSync, statSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FUKUOKA_MUNICIPALITIES_FILE, loadMunicipalities } from '../../firmware-config/src/index.ts'
import { ROOT, freePort, kenStoreVerify, KEN_STORE_BIN } from './helpers/appliance.ts'
import https from 'node:https'
import { readFileSync } from 'node:fs'
import { DEV_PIN } from '../../certs/src/dev-pki.ts'

const DURATION_S = 20
const RESIDENTS = 600
const EVENTS = 300

/** Every file under `dir`, recursively. */
function filesUnder (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]))
}

/** The figures of a summary line: `accepted N  duplicate N  rejected N  mismatches N`. */
function figures (line: string): Record<string, number> {
  return Object.fromEntries([...line.matchAll(/(accepted|duplicate|rejected|mismatches) (\d+)/g)].map((m) => [m[1] ?? '', Number(m[2])]))
}

t.test('npm start brings up the demo, reports accepted updates and stops cleanly', async (t) => {
  const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-demo-'))
  t.teardown(() => { rmSync(state, { recursive: true, force: true }) })
  const port = await freePort()
  const terminalPort = await freePort()
  const child = spawn('npm', ['start', '--', '--state', state, '--duration', String(DURATION_S), '--residents', String(RESIDENTS), '--events', String(EVENTS), '--port', String(port), '--terminal-port', String(terminalPort)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true // its own process group: the teardown can end npm, the launcher and the daemons together
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s })
  child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s })
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => { resolve(code) }))
  // While it runs: a technician at ken-maint asks for health and a backup (under the simulated load).
  const technicianCalls = (async () => {
    let url: string | undefined
    for (let i = 0; i < 1200 && url === undefined; i++) {
      url = /ken-maint \(technicians\) on (https:\/\/\S+)/.exec(out)?.[1]
      if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    if (url === undefined) return undefined
    const operators = path.join(state, 'pki', 'operators')
    const cred = { ca: readFileSync(path.join(state, 'pki', 'ca.crt')), cert: readFileSync(path.join(operators, 'TE001.crt')), key: readFileSync(path.join(operators, 'TE001.key')), passphrase: DEV_PIN }
    const call = async (method: string, route: string): Promise<{ status: number, json: Record<string, unknown> }> => await new Promise((resolve, reject) => {
      const req = https.request(new URL(route, url), { method, ...cred, servername: 'localhost' }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (s: string) => { body += s }).on('end', () => { resolve({ status: res.statusCode ?? 0, json: JSON.parse(body) as Record<string, unknown> }) })
      })
      req.once('error', reject)
      req.end()
    })
    return { health: await call('GET', '/health'), backup: await call('POST', '/backups') }
  })()
  let finished = false
  t.teardown(() => { if (!finished && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL') })
  // Bounded: the run is DURATION_S plus start-up and shutdown.
  let timer: NodeJS.Timeout | undefined
  const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { resolve('timeout') }, 150_000) })])
  clearTimeout(timer)
  finished = code !== 'timeout'

  t.equal(code, 0, 'npm start exits 0', { stderr: err.slice(-2000) })
  const lines = out.trim().split('\n').map((l) => l.trim())
  const summaries = lines.filter((l) => /^\[\d\d:\d\d\] /.test(l))
  t.ok(summaries.length >= 2, `summary lines while running and at the end (${summaries.length})`)
  const last = figures(summaries.at(-1) ?? '')
  t.ok((last.accepted ?? 0) > 0, `accepted ${last.accepted}`)
  t.equal(last.mismatches, 0, 'no result contradicted what the simulated CS expected')
  t.ok((last.accepted ?? 0) + (last.rejected ?? 0) <= RESIDENTS + EVENTS, 'no more results than updates generated')
  t.equal(lines.at(-1), 'stopped cleanly', 'the last line says the appliance stopped cleanly')
  // The transparency log (docs/transparency-log.md): each CS verified receipts of its results.
  const receipts = /^transparency log: checkpoint ([\d,]+) entries {2}receipts verified ([\d,]+)$/.exec(lines.find((l) => l.startsWith('transparency log:')) ?? '')
  t.ok(receipts !== null && Number(receipts[2]?.replaceAll(',', '')) > 0 && Number(receipts[1]?.replaceAll(',', '')) > 0, `receipts verified, no failure: ${receipts?.[0] ?? 'no transparency line'}`)
  t.notMatch(out, /RECEIPT/, 'no receipt failure was reported')
  // Issue 12: ken-national forwards to the simulated national server, and the view shows its lag.
  t.ok(lines.some((l) => /^national \(全国サーバ\): link up  acknowledged #[1-9][0-9,]*  confirmed #[1-9]/.test(l)), 'the live view shows the national link up and forwarding')
  // SPEC §5.3: each CS reconciles once after its initial load; every run finds exactly what was seeded.
  const reconciled = /reconciliation \(整合性確認\): (\d+) exact, (\d+) running, (\d+) inexact, (\d+) failed/.exec(lines.filter((l) => l.startsWith('reconciliation')).at(-1) ?? '')
  t.ok(Number(reconciled?.[1] ?? 0) > 0, `reconciliations exact: ${reconciled?.[0] ?? 'no reconciliation line'}`)
  t.equal(Number(reconciled?.[3] ?? -1) + Number(reconciled?.[4] ?? -1), 0, 'none inexact or failed')

  const technician = await technicianCalls
  t.equal(technician?.health.status, 200, 'ken-maint answered the technician')
  t.equal(technician?.health.json.ok, true, 'every daemon healthy')
  t.equal(technician?.backup.status, 200, 'a backup was taken while the CS were sending')
  const medium = technician?.backup.json.medium as { mediaId: string, logPosition: number } | undefined
  const restored = path.join(state, 'restored')
  const restore = spawnSync(process.execPath, [KEN_STORE_BIN, 'restore', '--from', path.join(state, 'backups', `${medium?.mediaId ?? 'none'}.kbk`), '--identity', path.join(state, 'admin', 'backup-recipient.key'), '--db', restored, '--key', path.join(state, 'restored.key'), '--actor', 'AD001', '--log-key', path.join(state, 'keys', 'log-signing.key')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  t.equal(restore.status, 0, 'ken-store restore with the administrator\'s key, held to the backup\'s signed checkpoint', { stderr: restore.stderr.slice(-2000) })
  t.notMatch(restore.stderr, /checkpoint_unsigned/, 'the checkpoint signature was checked')
  t.equal((JSON.parse(restore.stdout || '{}') as { head?: { position?: number } }).head?.position, medium?.logPosition, 'restored to the backup\'s head')
  const restoredVerify = await kenStoreVerify(restored)
  t.equal(restoredVerify.code, 0, 'ken-store verify passes on the restored store')
  t.ok(lines.some((l) => l.includes(`https://127.0.0.1:${terminalPort}/`) && l.includes('web console')), 'the console URL is printed')
  t.ok(lines.some((l) => l.includes('OP001 operator') && l.includes('TE001 technician')), 'and where the development credentials are')

  const verify = await kenStoreVerify(path.join(state, 'db'))
  t.equal(verify.code, 0, 'ken-store verify --db <state>/db exits 0')
  t.equal(verify.report.ok, true, 'the chain verifies')
  t.ok((verify.report.entries ?? 0) >= (last.accepted ?? 0) + (last.rejected ?? 0), `every answered update is in the log (${verify.report.entries} entries)`)

  const pki = path.join(state, 'pki')
  const codes = loadMunicipalities(FUKUOKA_MUNICIPALITIES_FILE).municipalities.map((m) => m.code)
  const files = filesUnder(pki).map((f) => path.relative(pki, f))
  for (const f of ['ca.crt', 'crl.pem', 'server.crt', 'server.key', ...codes.flatMap((c) => [`cs/${c}.crt`, `cs/${c}.key`])]) {
    if (!files.includes(f)) t.fail(`${f} is missing from ${pki}`)
  }
  t.ok(codes.length === 60 && codes.every((c) => files.includes(`cs/${c}.key`)), 'a CS credential for each of the 60 municipalities')
  const keys = files.filter((f) => f.endsWith('.key'))
  const loose = keys.filter((f) => (statSync(path.join(pki, f)).mode & 0o777) !== 0o600)
  t.ok(keys.length > 60, `${keys.length} private key files`)
  t.same(loose, [], 'every private key file is mode 0600')
  t.equal(statSync(path.join(state, 'keys', 'appliance.key')).mode & 0o777, 0o600, 'the appliance key is mode 0600')
})

t.test('npm start on demo state of the earlier single-database store layout says how to go on, and starts nothing', async (t) => {
  const state = mkdtempSync(path.join(tmpdir(), 'ken-e2e-demo-old-'))
  t.teardown(() => { rmSync(state, { recursive: true, force: true }) })
  const first = spawnSync('npm', ['start', '--', '--state', state, '--duration', '2', '--residents', '60', '--events', '10', '--port', String(await freePort()), '--terminal-port', String(await freePort())], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  t.equal(first.status, 0, 'a first start makes the state')
  const db = path.join(state, 'db')
  t.ok(statSync(path.join(db, 'views')).isDirectory(), 'the store made its databases')
  writeFileSync(path.join(db, 'CURRENT'), 'MANIFEST-000001\n') // what a single LevelDB database holds at its top
  const again = spawnSync('npm', ['start', '--', '--state', state, '--duration', '2', '--residents', '60', '--events', '10', '--port', String(await freePort()), '--terminal-port', String(await freePort())], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  t.equal(again.status, 2)
  t.match(again.stderr, /KEN_ERR_STORE_LAYOUT: .* remove the demo state/)
  t.notMatch(again.stdout, /store daemon and gateway running/)
})
