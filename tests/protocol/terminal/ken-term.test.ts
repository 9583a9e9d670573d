// ken-term over the same HTTPS API: login by a locally signed challenge, search, view, provide,
// account administration; refusals exit 1 with the code; the bin runs as its own process.
import t from 'tap'
import path from 'node:path'
import { writeFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { run } from '../../../server/src/terminal/cli/ken-term.ts'
import { person, tempDir } from '../../unit/store/helpers.ts'
import { startTerminal } from './helpers.ts'

const dir = tempDir(t, 'ken-term-cli-')
const term = await startTerminal(dir)
t.teardown(async () => await term.close())
const pinFile = path.join(dir, 'pin')
writeFileSync(pinFile, `${DEV_PIN}\n`, { mode: 0o600 })
const common = ['--url', term.url, '--ca', path.join(term.pkiDir, 'ca.crt')]
const cred = (id: string): string[] => ['--id', id, '--cert', path.join(term.pkiDir, 'operators', `${id}.crt`), '--key', path.join(term.pkiDir, 'operators', `${id}.key`), '--pin-file', pinFile]
const BIN = fileURLToPath(new URL('../../../server/bin/ken-term.js', import.meta.url))

t.test('the bin logs in as its own process', async (t) => {
  const out = await new Promise<{ code: number | null, stdout: string }>((resolve) => {
    execFile(process.execPath, [BIN, 'login', ...common, ...cred('OP001')], { env: { ...process.env } }, (err, stdout) => resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stdout }))
  })
  t.equal(out.code, 0)
  t.match(JSON.parse(out.stdout) as Record<string, unknown>, { accountId: 'OP001', role: 'operator', session: /^[A-Za-z0-9_-]{43}$/ })
})

t.test('operator: search, view, provide; refusals exit 1', async (t) => {
  const login = await run(['login', ...common, ...cred('OP001')])
  t.equal(login.code, 0)
  const session = String((login.out as Record<string, unknown>).session)
  const s = [`--session=${session}`]
  const p = person(8)
  const found = await run(['search', ...common, ...s, '--purpose', 'B5-RYOKEN', '--name', p.nameKana, '--birth', p.birthDate])
  t.equal(found.code, 0)
  const ref = ((found.out as { hits: Array<{ ref: string }> }).hits[0]?.ref) ?? ''
  t.equal((await run(['view', ...common, ...s, '--purpose', 'B5-RYOKEN', `--ref=${ref}`])).code, 0)
  t.equal((await run(['provide', ...common, ...s, '--purpose', 'B5-RYOKEN', '--kind', 'iten', '--recipient', 'R-RYOKEN', `--refs=${ref}`, '--items', 'name,address'])).code, 0)
  const refused = await run(['search', ...common, ...s, '--purpose', 'B5-RYOKEN', '--sex', 'male'])
  t.equal(refused.code, 1)
  t.equal((refused.out as Record<string, unknown>).code, 'KEN_ERR_TERM_SEARCH_CONDITIONS')
  t.equal((await run(['logout', ...common, ...s])).code, 0)
  t.equal(((await run(['whoami', ...common, ...s])).out as Record<string, unknown>).code, 'KEN_ERR_TERM_NO_SESSION')
})

t.test('administrators: register, second approval, list', async (t) => {
  const a1 = String(((await run(['login', ...common, ...cred('AD001')])).out as Record<string, unknown>).session)
  const a2 = String(((await run(['login', ...common, ...cred('AD002')])).out as Record<string, unknown>).session)
  const reg = await run(['account', 'register', ...common, `--session=${a1}`, ...cred('OP002'), '--role', 'operator', '--department', 'D-ZEIMU', '--branch', 'HONCHO', '--purposes', 'B6-KENZEI'])
  t.equal(reg.code, 0, JSON.stringify(reg.out))
  t.equal(((await run(['account', 'approve', ...common, `--session=${a1}`, '--id', 'OP002'])).out as Record<string, unknown>).code, 'KEN_ERR_TERM_SAME_ADMINISTRATOR')
  t.equal((await run(['account', 'approve', ...common, `--session=${a2}`, '--id', 'OP002'])).code, 0)
  const listed = await run(['accounts', ...common, `--session=${a2}`])
  t.ok((listed.out as { accounts: Array<{ accountId: string, status: string }> }).accounts.some((a) => a.accountId === 'OP002' && a.status === 'active'))
  t.equal((await run(['login', ...common, ...cred('OP002')])).code, 0, 'the approved operator logs in')
})
