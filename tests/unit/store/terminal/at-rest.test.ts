// The terminal's acts leave no name, 個人番号, 住民票コード or birth date in clear in the LevelDB files
// (SPEC §4; issue 13 "no name or 個人番号 in clear"): the search conditions and the residents concerned
// are sealed or blind-indexed, the search index view holds only blind indexes, and the accounts file
// holds no resident at all. Also: the acts are entries of the hash chain, so verify covers them.
import t from 'tap'
import path from 'node:path'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { sign } from 'node:crypto'
import { DEV_PIN } from '../../../../certs/src/dev-pki.ts'
import { openOperatorCredential } from '../../../../certs/src/operator-credential.ts'
import { AccountAction, ProvisionKind } from '../../../../proto/src/types.ts'
import { LevelStore } from '../../../../server/src/store/level-store.ts'
import { DATABASES } from '../../../../server/src/store/layout.ts'
import { FileAccounts } from '../../../../server/src/store/terminal/account-book.ts'
import { TerminalService } from '../../../../server/src/store/terminal/service.ts'
import { loginSignedData } from '../../../../server/src/store/terminal/sessions.ts'
import { Cs, FUKUOKA, item, person, TEST_APPLIANCE_KEY, tempDir } from '../helpers.ts'
import { withRaw } from '../raw.ts'
import { makePki } from './helpers.ts'

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    return statSync(full).isDirectory() ? files(full) : [full]
  })
}

function grep (dir: string, needles: readonly string[]): string[] {
  const contents = files(dir).map((f) => readFileSync(f))
  return needles.filter((needle) => contents.some((c) => c.includes(Buffer.from(needle, 'utf8'))))
}

const PEOPLE = Array.from({ length: 12 }, (_, i) => person(i + 1, { nameKanji: `鳳凰院${i}郎`, nameKana: `ホウオウイン${'アイウエオカキクケコサシ'[i] ?? ''}ロウ`, birthDate: `1977-0${(i % 9) + 1}-2${i % 9}` }))

t.test('search, view and provision acts leave nothing personal in clear; verify covers them', async (t) => {
  const dir = tempDir(t)
  const pki = await makePki(path.join(dir, 'pki'))
  const location = path.join(dir, 'db')
  const store = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await store.open()
  const cs = new Cs(FUKUOKA)
  await store.append(PEOPLE.map((p) => item(cs.identity(p))))
  const service = new TerminalService({ store, accounts: new FileAccounts(path.join(dir, 'accounts.json')), options: { scryptCost: { n: 1 << 10, r: 8, p: 1 } } })
  await service.open()
  const cert = (id: string): Uint8Array => {
    const c = pki.credential(id)
    return c.certificateDer
  }
  await service.bootstrap([
    { accountId: 'AD001', role: 'system-admin', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: [], pin: DEV_PIN, certificate: cert('AD001') },
    { accountId: 'OP001', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-RYOKEN'], pin: DEV_PIN, certificate: cert('OP001') }
  ])
  let id = 1
  const ask = async (req: object): Promise<Awaited<ReturnType<TerminalService['handle']>>> => await service.handle({ requestId: id++, session: new Uint8Array(0), terminalId: 'T1', ...req })
  const begin = await ask({ loginBegin: { accountId: 'OP001' } })
  const challenge = begin.challenge?.challenge ?? new Uint8Array(0)
  const c = pki.credential('OP001')
  const signature = sign('sha256', loginSignedData(challenge), openOperatorCredential(c.certificatePem, c.keyPem, DEV_PIN).privateKey)
  const session = (await ask({ loginFinish: { accountId: 'OP001', challenge, signature, pin: DEV_PIN, adapter: 'key-file' } })).session?.session ?? new Uint8Array(0)
  const before = store.head().position
  for (const p of PEOPLE) {
    const found = await ask({ session, search: { purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: p.nameKanji, address: '', birthDate: p.birthDate, sex: 0, fuzzy: false } })
    t.equal(found.search?.hits.length, 1)
    const ref = found.search?.hits[0]?.ref ?? ''
    await ask({ session, view: { purpose: 'B5-RYOKEN', ref } })
    await ask({ session, provide: { purpose: 'B5-RYOKEN', kind: ProvisionKind.ITEN, recipient: 'R-RYOKEN', refs: [ref], items: ['name'], channel: 'terminal', reference: 'D1' } })
    await ask({ session, search: { purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: p.kojinBango, name: '', address: '', birthDate: '', sex: 0, fuzzy: false } })
  }
  await ask({ session, account: { action: AccountAction.REVOKE, accountId: 'AD001', role: '', department: '', branch: '', purposes: [], pin: '', certificate: new Uint8Array(0), reason: '' } })
  t.equal(store.head().position - before, PEOPLE.length * 4 + 1, 'one entry per act (the refused account change included)')
  const needles = PEOPLE.flatMap((p) => [p.nameKanji, p.nameKana, p.kojinBango, p.juminhyoCode, p.birthDate])
  t.same(grep(dir, ['OP001']), ['OP001'], 'control: clear fields are found')
  t.same(grep(dir, needles), [], 'nothing personal with the write-ahead log open')
  const verified = await store.verify()
  t.ok(verified.ok, 'the chain covers the acts')
  await store.rebuild({ actor: 'AD001', approver: '' })
  await store.close()
  for (const database of DATABASES) await withRaw(location, async (raw) => await raw.compactRange(Buffer.from([0]), Buffer.from([0xff])), database)
  t.same(grep(dir, needles), [], 'nothing after rebuild and compaction')
  const reopened = new LevelStore({ location, applianceKey: TEST_APPLIANCE_KEY })
  await reopened.open()
  t.equal((await reopened.searchResidents({ name: PEOPLE[3]?.nameKana ?? '', birthDate: PEOPLE[3]?.birthDate ?? '' }, 10)).length, 1, 'the rebuilt search index finds the person')
  await reopened.close()
})
