// The terminal capability of the store (SPEC §6): two-factor login, the session guard, purposes,
// the search rules, provision records, account administration — each refusal tried, each act one
// log entry with its personal part sealed.
import t from 'tap'
import { AccountAction, AccountListing, ProvisionKind, SessionAction, Sex, type SearchQuery } from '../../../../proto/src/types.ts'
import { person } from '../helpers.ts'
import { tempDir } from '../helpers.ts'
import { actsAfter, makeFixture, makePki, type Fixture } from './helpers.ts'
import { DEV_PIN } from '../../../../certs/src/dev-pki.ts'

const pki = await makePki(tempDir(t, 'ken-term-pki-'))
const q = (over: Partial<SearchQuery>): SearchQuery => ({ purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false, ...over })
const noAccount = { role: '', department: '', branch: '', purposes: [], pin: '', certificate: new Uint8Array(0), reason: '' }

async function operator (f: Fixture): Promise<Uint8Array> {
  const r = await f.login('OP001')
  if (r.session == null) throw new Error(`login failed: ${r.errorCode}`)
  return r.session.session
}

t.test('login with both factors, search by 氏名+生年月日, view, provide: one act each', async (t) => {
  const f = await makeFixture(pki)
  const session = await operator(f)
  const p = person(3)
  const before = f.store.head().position
  const found = await f.ask({ session, search: q({ name: p.nameKanji, birthDate: p.birthDate }) })
  t.equal(found.errorCode, '')
  t.equal(found.search?.hits.length, 1)
  t.same(found.search?.hits[0]?.items.map((i) => i.item), ['name', 'nameKana', 'birthDate', 'sex', 'address'], 'list items of the purpose, never 個人番号')
  const ref = found.search?.hits[0]?.ref ?? ''
  const opened = await f.ask({ session, view: { purpose: 'B5-RYOKEN', ref } })
  t.equal(opened.record?.items.find((i) => i.item === 'name')?.value, p.nameKanji)
  t.notOk(opened.record?.items.some((i) => i.item === 'kojinBango'), 'B5-RYOKEN does not receive 個人番号')
  const given = await f.ask({ session, provide: { purpose: 'B5-RYOKEN', kind: ProvisionKind.ITEN, recipient: 'R-RYOKEN', refs: [ref], items: ['name', 'address'], channel: 'terminal', reference: 'DOC-1' } })
  t.equal(given.errorCode, '')
  const acts = await actsAfter(f.store, before)
  t.same(acts.map((a) => a.kind), ['terminal.search', 'terminal.view', 'terminal.provide'], 'exactly one entry per act')
  const search = acts[0]
  t.equal(search?.count, 1)
  t.ok(acts.every((a) => /card=[0-9a-f]{16} /.test(a.note)), 'the card (operator key) on every act (A6.2)')
  t.match(search?.note, /mode=four exact/)
  t.equal(search?.subjects.length, 1)
  t.notOk(JSON.stringify(acts).includes(p.nameKanji), 'no name in the entries in clear')
  for await (const r of f.store.entries(before + 1, before + 1)) {
    const opened = JSON.parse((await f.store.openActDetail(r))?.toString('utf8') ?? '{}') as { conditions: { name: string } }
    t.equal(opened.conditions.name, p.nameKanji, 'the conditions are sealed in the detail')
  }
})

t.test('kana search: exact and fuzzy (清音化かな)', async (t) => {
  const f = await makeFixture(pki)
  const session = await operator(f)
  const p = person(5)
  const voiced = p.nameKana.replace('タ', 'ダ')
  t.equal((await f.ask({ session, search: q({ name: p.nameKana, birthDate: p.birthDate }) })).search?.hits.length, 1)
  t.equal((await f.ask({ session, search: q({ name: voiced, birthDate: p.birthDate }) })).search?.hits.length, voiced === p.nameKana ? 1 : 0)
  t.equal((await f.ask({ session, search: q({ name: voiced, birthDate: p.birthDate, fuzzy: true }) })).search?.hits.length, 1)
})

t.test('search rules: two of 氏名/住所/生年月日, 性別 never alone, capped, no listing', async (t) => {
  const f = await makeFixture(pki)
  const session = await operator(f)
  const before = f.store.head().position
  for (const bad of [q({ sex: Sex.MALE }), q({ name: '山田太郎' }), q({ birthDate: '1990-04-01', sex: Sex.FEMALE }), q({})]) {
    t.equal((await f.ask({ session, search: bad })).errorCode, 'KEN_ERR_TERM_SEARCH_CONDITIONS')
  }
  // H5: 氏名 (漢字) + 住所 without a date is answered from the index (key K).
  const p3 = person(3)
  const byKanjiAndAddress = await f.ask({ session, search: q({ name: p3.nameKanji, address: p3.address }) })
  t.equal(byKanjiAndAddress.errorCode, '', '漢字氏名 + 住所 is a search')
  t.equal(byKanjiAndAddress.search?.hits.length, 1, 'and finds the person')
  const many = await f.ask({ session, search: q({ birthDate: '1990-04-01', address: '福岡県' }) })
  t.equal(many.search?.tooMany, true, 'more than the cap: narrow the conditions')
  t.equal(many.search?.hits.length, 0)
  const acts = await actsAfter(f.store, before)
  t.equal(acts.length, 6)
  t.ok(acts.slice(0, 4).every((a) => a.refused && a.reasonCode === 'KEN_ERR_TERM_SEARCH_CONDITIONS'), 'refused searches are recorded')
})

t.test('refusals: no session, wrong factor, locked account, expired, purpose, items, technician, other branch', async (t) => {
  const f = await makeFixture(pki)
  const p = person(1)
  t.equal((await f.ask({ search: q({ name: p.nameKanji, birthDate: p.birthDate }) })).errorCode, 'KEN_ERR_TERM_NO_SESSION', 'no session: nothing about anyone')
  t.equal((await f.ask({ session: Buffer.alloc(32, 1), search: q({ juminhyoCode: p.juminhyoCode }) })).errorCode, 'KEN_ERR_TERM_NO_SESSION')
  t.equal((await f.login('OP001', { pin: 'wrong-pin-1' })).errorCode, 'KEN_ERR_TERM_LOGIN_FAILED', 'wrong PIN')
  t.equal((await f.login('OP001', { wrongKey: 'OP002' })).errorCode, 'KEN_ERR_TERM_LOGIN_FAILED', 'another operator\'s key')
  t.equal((await f.login('NOBODY1', { wrongKey: 'OP002' })).errorCode, 'KEN_ERR_TERM_LOGIN_FAILED', 'unknown account looks the same')
  for (let i = 0; i < 2; i++) await f.login('OP001', { pin: 'wrong-pin-1' })
  t.equal((await f.login('OP001', { pin: 'wrong-pin-1' })).errorCode, 'KEN_ERR_TERM_ACCOUNT_LOCKED', 'the fifth failure locks')
  t.equal((await f.login('OP001')).errorCode, 'KEN_ERR_TERM_ACCOUNT_LOCKED', 'locked even with the right factors')

  const technician = (await f.login('TE001')).session?.session ?? new Uint8Array(0)
  t.equal((await f.ask({ session: technician, search: q({ juminhyoCode: p.juminhyoCode }) })).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'a technician cannot search')

  const admin = (await f.login('AD001')).session?.session ?? new Uint8Array(0)
  await f.ask({ session: admin, account: { ...noAccount, action: AccountAction.UNLOCK, accountId: 'OP001' } })
  const session = await operator(f)
  t.equal((await f.ask({ session, search: q({ purpose: 'B6-KENZEI', juminhyoCode: p.juminhyoCode }) })).errorCode, 'KEN_ERR_TERM_PURPOSE_NOT_APPROVED', 'a purpose the department is not approved for')
  const hit = (await f.ask({ session, search: q({ purpose: 'J1-KYOIKU', juminhyoCode: p.juminhyoCode }) })).search?.hits[0]?.ref ?? ''
  const outside = await f.ask({ session, provide: { purpose: 'J1-KYOIKU', kind: ProvisionKind.TEIKYO, recipient: 'R-KYOIKUI', refs: [hit], items: ['name', 'kojinBango'], channel: 'terminal', reference: 'DOC-2' } })
  t.equal(outside.errorCode, 'KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE', 'items outside the purpose')
  const last = await actsAfter(f.store, outside.logPosition - 1)
  t.equal(last[0]?.kind, 'terminal.provide')
  t.equal(last[0]?.refused, true, 'the refused provision is recorded')

  const branch = (await f.login('BA001')).session?.session ?? new Uint8Array(0)
  t.equal((await f.ask({ session: branch, account: { ...noAccount, action: AccountAction.REVOKE, accountId: 'OP001' } })).errorCode, 'KEN_ERR_TERM_OTHER_BRANCH', '拠点管理者 touching another branch')
  t.same((await f.ask({ session: branch, accounts: { listing: AccountListing.ALL } })).accounts?.accounts.map((a) => a.branch), ['KITAKYUSHU'], 'H4: and seeing only their own branch')
  t.equal((await f.ask({ session: branch, account: { ...noAccount, action: AccountAction.REGISTER, accountId: 'OP003', role: 'operator', department: 'D-SHICHOSON', branch: 'HONCHO', purposes: ['B5-RYOKEN'], pin: DEV_PIN, certificate: f.credential('OP003').certificateDer } })).errorCode, 'KEN_ERR_TERM_OTHER_BRANCH')

  f.clock.now = new Date('2027-04-30T14:00:00Z') // 2027-04-30 23:00 JST: still valid
  t.equal((await f.login('OP001')).errorCode, '', 'valid through 30 April of the next fiscal year')
  f.clock.now = new Date('2027-04-30T15:00:00Z') // 2027-05-01 00:00 JST
  t.equal((await f.login('OP001')).errorCode, 'KEN_ERR_TERM_ACCOUNT_EXPIRED', 'expired on 1 May')
  t.equal((await f.ask({ session, search: q({ juminhyoCode: p.juminhyoCode }) })).errorCode, 'KEN_ERR_TERM_ACCOUNT_EXPIRED', 'an open session stops too')
  // H1: renewed on 2027-04-20 (FY2027), the expiry moves to 2028-04-30, never later.
  f.clock.now = new Date('2027-04-20T01:00:00Z')
  const renewer = (await f.login('AD002')).session?.session ?? new Uint8Array(0)
  t.equal((await f.ask({ session: renewer, account: { ...noAccount, action: AccountAction.RENEW, accountId: 'OP001' } })).errorCode, '')
  const listed = await f.ask({ session: renewer, accounts: { listing: AccountListing.ALL } })
  t.equal(listed.accounts?.accounts.find((a) => a.accountId === 'OP001')?.expires, '2028-04-30')
  f.clock.now = new Date('2027-05-01T01:00:00Z')
  t.equal((await f.login('OP001')).errorCode, '', 'the renewed account works in May')
})

t.test('idle lock hides everything until both factors again; logout ends the session', async (t) => {
  const f = await makeFixture(pki)
  const session = await operator(f)
  const p = person(2)
  const ref = (await f.ask({ session, search: q({ juminhyoCode: p.juminhyoCode }) })).search?.hits[0]?.ref ?? ''
  f.clock.advance(301_000)
  t.equal((await f.ask({ session, view: { purpose: 'B5-RYOKEN', ref } })).errorCode, 'KEN_ERR_TERM_SESSION_LOCKED')
  t.equal((await f.ask({ session, sessionOp: { action: SessionAction.WHOAMI } })).session?.locked, true)
  t.equal((await f.login('OP001', { session, pin: 'wrong-pin-1' })).errorCode, 'KEN_ERR_TERM_LOGIN_FAILED')
  t.equal((await f.login('OP001', { session })).errorCode, '', 'unlocked with both factors')
  t.equal((await f.ask({ session, view: { purpose: 'B5-RYOKEN', ref } })).errorCode, '')
  t.equal((await f.ask({ session, sessionOp: { action: SessionAction.LOGOUT } })).errorCode, '')
  t.equal((await f.ask({ session, view: { purpose: 'B5-RYOKEN', ref } })).errorCode, 'KEN_ERR_TERM_NO_SESSION')
})

t.test('registration needs a second administrator; unreported branch changes are listed after 14 days', async (t) => {
  const f = await makeFixture(pki)
  const admin = (await f.login('AD001')).session?.session ?? new Uint8Array(0)
  const reg = { ...noAccount, action: AccountAction.REGISTER, accountId: 'OP002', role: 'operator', department: 'D-ZEIMU', branch: 'HONCHO', purposes: ['B6-KENZEI'], pin: DEV_PIN, certificate: f.credential('OP002').certificateDer }
  t.equal((await f.ask({ session: admin, account: { ...reg, certificate: f.credential('OP003').certificateDer } })).errorCode, 'KEN_ERR_TERM_CERTIFICATE', 'another operator\'s certificate')
  t.equal((await f.ask({ session: admin, account: { ...reg, pin: '111111' } })).errorCode, 'KEN_ERR_TERM_WEAK_PIN')
  t.equal((await f.ask({ session: admin, account: reg })).errorCode, '')
  t.equal((await f.login('OP002')).errorCode, 'KEN_ERR_TERM_ACCOUNT_INACTIVE', 'pending until approved')
  t.equal((await f.ask({ session: admin, account: { ...noAccount, action: AccountAction.APPROVE, accountId: 'OP002' } })).errorCode, 'KEN_ERR_TERM_SAME_ADMINISTRATOR')
  const branch = (await f.login('BA001')).session?.session ?? new Uint8Array(0)
  t.equal((await f.ask({ session: branch, account: { ...reg, accountId: 'OP003', department: 'D-KITAKYU', branch: 'KITAKYUSHU', certificate: f.credential('OP003').certificateDer } })).errorCode, '')
  t.equal((await f.ask({ session: admin, accounts: { listing: AccountListing.UNREPORTED } })).accounts?.accounts.length, 0)
  f.clock.advance(15 * 86_400_000)
  const again = (await f.login('AD001')).session?.session ?? new Uint8Array(0)
  t.same((await f.ask({ session: again, accounts: { listing: AccountListing.UNREPORTED } })).accounts?.accounts.map((a) => a.accountId), ['OP003'])
  t.equal((await f.ask({ session: branch, accounts: { listing: AccountListing.ALL } })).errorCode, 'KEN_ERR_TERM_NO_SESSION', 'the branch admin\'s session ended after the longest session time')
})

t.test('a person not in the file: the national seam answers, or says it is unavailable', async (t) => {
  const f = await makeFixture(pki)
  const session = await operator(f)
  const none = await f.ask({ session, search: q({ name: '存在無', birthDate: '1950-01-01' }) })
  t.equal(none.search?.national, 'unavailable')
  const g = await makeFixture(pki, { national: { search: async () => ({ status: 'answered', persons: [{ juminhyoCode: '12345678901', nameKanji: '県外太郎', nameKana: 'ケンガイタロウ', birthDate: '1950-01-01', sex: Sex.MALE, address: '東京都', kojinBango: '' }] }) } })
  const s2 = (await g.login('OP001')).session?.session ?? new Uint8Array(0)
  const answered = await g.ask({ session: s2, search: q({ name: '県外太郎', birthDate: '1950-01-01' }) })
  t.equal(answered.search?.national, 'answered')
  t.equal(answered.search?.hits.length, 1)
})
