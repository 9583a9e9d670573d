// ken-term's statistics, review, sample and bulk-approve commands over the HTTPS API: answered for a
// role that holds the capability, refused (exit 1, the code in the JSON) for one that does not.
import t from 'tap'
import path from 'node:path'
import { writeFileSync } from 'node:fs'
import { DEV_PIN } from '../../../certs/src/dev-pki.ts'
import { run } from '../../../server/src/terminal/cli/ken-term.ts'
import { tempDir } from '../../unit/store/helpers.ts'
import { startTerminal } from './helpers.ts'

t.test('statistics for an administrator; review and sample refused to the administrator and the operator', async (t) => {
  const dir = tempDir(t, 'ken-term-reports-')
  const term = await startTerminal(dir)
  t.teardown(async () => await term.close())
  const pinFile = path.join(dir, 'pin')
  writeFileSync(pinFile, `${DEV_PIN}\n`, { mode: 0o600 })
  const common = ['--url', term.url, '--ca', path.join(term.pkiDir, 'ca.crt')]
  const login = async (id: string): Promise<string[]> => {
    const r = await run(['login', ...common, '--id', id, '--cert', path.join(term.pkiDir, 'operators', `${id}.crt`), '--key', path.join(term.pkiDir, 'operators', `${id}.key`), '--pin-file', pinFile])
    return [`--session=${String((r.out as Record<string, unknown>).session)}`]
  }
  const admin = await login('AD001')
  const operator = await login('OP001')
  const stats = await run(['statistics', ...common, ...admin, '--month', '2026-06', '--reason', 'M-6'])
  t.equal(stats.code, 0)
  t.match(stats.out, { month: '2026-06', rows: Array })
  for (const [who, args] of [[admin, ['review', '--flagged']], [admin, ['sample', '--fiscal-year', '2026', '--size', '3']], [operator, ['statistics', '--month', '2026-06']],
    [operator, ['bulk-approve', '--requester', 'OP001', '--recipient', 'R-RYOKEN', '--recipient-key', `age1${'q'.repeat(58)}`, '--purpose', 'B5-RYOKEN', '--expected', '1', '--expires', '2026-06-02']]] as const) {
    const r = await run([...args, ...common, ...who])
    t.same([r.code, (r.out as Record<string, unknown>).code], [1, 'KEN_ERR_TERM_ROLE_FORBIDDEN'], args[0])
  }
})
