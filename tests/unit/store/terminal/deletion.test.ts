// 物理削除 through the terminal capability (SPEC §2.5, requirements E5, H24; issue 17 item 3): filed by
// a system administrator with the municipality's reference, approved by a security officer who is not
// the requester, then every key of the person destroyed. Each refusal the issue lists is tried and
// found recorded; after the approval the person is gone from search, and the log names who, when and
// the reference — not the content. Also the print record of A8.3 (H20).
import t from 'tap'
import path from 'node:path'
import { DeletionAction, LogAdminKind, type DeletionOp, type LogEntry } from '../../../../proto/src/types.ts'
import { person, tempDir } from '../helpers.ts'
import { actsAfter, makeFixture, makePki, type Fixture } from './helpers.ts'

const dir = tempDir(t, 'ken-deletion-')
const pki = await makePki(path.join(dir, 'pki'))
const fx = await makeFixture(pki)
const victim = person(7)

async function session (f: Fixture, id: string): Promise<Uint8Array> {
  const r = await f.login(id)
  if (r.session == null) throw new Error(`login ${id}: ${r.errorCode}`)
  return r.session.session
}
const op = (o: Partial<DeletionOp>): DeletionOp => ({ action: DeletionAction.LIST, requestId: '', juminhyoCode: '', reference: '', reason: '', ...o })

t.test('refusals: wrong role, no reference, unknown resident, approver = requester, a second administrator, unknown request, no session', async (t) => {
  const ad1 = await session(fx, 'AD001')
  const ad2 = await session(fx, 'AD002')
  const so = await session(fx, 'SO001')
  const operator = await session(fx, 'OP001')
  const before = fx.store.head().position
  const file = (s: Uint8Array, reference = 'FUK-2026-0017', code = victim.juminhyoCode): ReturnType<Fixture['ask']> => fx.ask({ session: s, deletion: op({ action: DeletionAction.FILE, juminhyoCode: code, reference }) })
  t.equal((await file(operator)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'an operator cannot file')
  t.equal((await file(so)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'the approver role cannot file')
  t.equal((await file(ad1, '')).errorCode, 'KEN_ERR_TERM_DELETION_REFERENCE', 'no request reference')
  t.equal((await file(ad1, 'FUK-1', '99999999999')).errorCode, 'KEN_ERR_TERM_UNKNOWN_RESIDENT', 'nobody under that code')
  const filed = await file(ad1)
  t.equal(filed.errorCode, '')
  const requestId = filed.deletions?.requests[0]?.requestId ?? ''
  t.match(requestId, /^D-[0-9A-F]{8}$/)
  t.equal(filed.deletions?.requests[0]?.status, 'pending')
  t.ok(await fx.store.getCurrent(victim.juminhyoCode), 'filing alone erases nothing: no path without a second person')
  const approve = (s: Uint8Array, id = requestId): ReturnType<Fixture['ask']> => fx.ask({ session: s, deletion: op({ action: DeletionAction.APPROVE, requestId: id }) })
  t.equal((await approve(ad1)).errorCode, 'KEN_ERR_TERM_DELETION_SAME_PERSON', 'the requester cannot approve')
  t.equal((await approve(ad2)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN', 'a second system administrator is not the approver role')
  t.equal((await approve(operator)).errorCode, 'KEN_ERR_TERM_ROLE_FORBIDDEN')
  t.equal((await approve(so, 'D-00000000')).errorCode, 'KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST', 'unknown request')
  t.equal((await approve(new Uint8Array(32))).errorCode, 'KEN_ERR_TERM_NO_SESSION', 'no session')
  t.ok(await fx.store.getCurrent(victim.juminhyoCode), 'still there after every refusal')
  const acts = await actsAfter(fx.store, before)
  t.same(acts.map((a) => [a.kind, a.refused, a.reasonCode]), [
    ['terminal.deletion.request', true, 'KEN_ERR_TERM_ROLE_FORBIDDEN'],
    ['terminal.deletion.request', true, 'KEN_ERR_TERM_ROLE_FORBIDDEN'],
    ['terminal.deletion.request', true, 'KEN_ERR_TERM_DELETION_REFERENCE'],
    ['terminal.deletion.request', true, 'KEN_ERR_TERM_UNKNOWN_RESIDENT'],
    ['terminal.deletion.request', false, ''],
    ['terminal.deletion.approve', true, 'KEN_ERR_TERM_DELETION_SAME_PERSON'],
    ['terminal.deletion.approve', true, 'KEN_ERR_TERM_ROLE_FORBIDDEN'],
    ['terminal.deletion.approve', true, 'KEN_ERR_TERM_ROLE_FORBIDDEN'],
    ['terminal.deletion.approve', true, 'KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST'],
    ['terminal.refused', true, 'KEN_ERR_TERM_NO_SESSION']
  ], 'every attempt is one act, refusals with their code')
  t.match(acts[4]?.note, new RegExp(`request=${requestId} reference=FUK-2026-0017`))
  t.equal(acts[4]?.subjects.length, 1, 'the person only as a blind index')

  // The store's own last line: without a second approver it refuses and records the refusal.
  await t.rejects(fx.store.eraseResident(victim.juminhyoCode, { actor: 'AD001', approver: '', note: 'reference=FUK-2026-0017' }), { code: 'KEN_ERR_STORE_APPROVER' })
  t.equal((await actsAfter(fx.store, fx.store.head().position - 1))[0]?.kind, 'store.physical-deletion-refused')
})

t.test('approved by the security officer: the person is gone from search; the log names who, when, the reference — not the content', async (t) => {
  const ad1 = await session(fx, 'AD001')
  const so = await session(fx, 'SO001')
  const operator = await session(fx, 'OP001')
  const found = await fx.ask({ session: operator, search: { purpose: 'B5-RYOKEN', juminhyoCode: victim.juminhyoCode, kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false } })
  t.equal(found.search?.hits.length, 1, 'found before')
  const list = await fx.ask({ session: so, deletion: op({ action: DeletionAction.LIST }) })
  const pending = list.deletions?.requests.find((r) => r.status === 'pending')
  t.ok(pending, 'the officer sees the pending request')
  t.equal(pending?.requestedBy, 'AD001')
  t.notMatch(JSON.stringify(list.deletions), victim.juminhyoCode, 'the listing carries no 住民票コード')
  const before = fx.store.head().position
  const approved = await fx.ask({ session: so, deletion: op({ action: DeletionAction.APPROVE, requestId: pending?.requestId ?? '' }) })
  t.equal(approved.errorCode, '')
  const info = approved.deletions?.requests[0]
  t.equal(info?.status, 'erased')
  t.equal(info?.decidedBy, 'SO001')
  t.ok((info?.keys ?? 0) >= 1, `${info?.keys ?? 0} keys destroyed`)
  t.equal(await fx.store.getCurrent(victim.juminhyoCode).catch(() => undefined), undefined, 'unreadable')
  const after = await fx.ask({ session: operator, search: { purpose: 'B5-RYOKEN', juminhyoCode: victim.juminhyoCode, kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false } })
  t.equal(after.errorCode, '', 'answered, not failed')
  t.same(after.search?.hits, [], 'gone from search')
  const byName = await fx.ask({ session: operator, search: { purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: victim.nameKana, address: '', birthDate: victim.birthDate, sex: 0, fuzzy: false } })
  t.equal(byName.errorCode, '')
  t.equal(byName.search?.tooMany, false, 'a real answer, not "narrow the conditions"')
  t.notOk(byName.search?.hits.some((h) => h.items.some((i) => i.value === victim.nameKanji)), 'nor by 4情報 (the blind index may name the subject; nothing of it is readable)')
  const again = await fx.ask({ session: so, deletion: op({ action: DeletionAction.APPROVE, requestId: pending?.requestId ?? '' }) })
  t.equal(again.errorCode, 'KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST', 'a decided request cannot be approved twice')

  const entries: LogEntry[] = []
  for await (const r of fx.store.entries(before + 1)) entries.push(r.entry)
  const admin = entries.find((e) => e.admin?.kind === LogAdminKind.PHYSICAL_DELETION)?.admin
  t.equal(admin?.actor, 'AD001', 'who requested')
  t.equal(admin?.approver, 'SO001', 'who approved')
  t.match(admin?.note, /reference=FUK-2026-0017/, 'the municipality reference')
  const act = entries.find((e) => e.act?.kind === 'terminal.deletion.approve')
  t.ok(act?.recordedAt, 'when')
  t.equal(act?.act?.approver, 'SO001')
  t.equal(act?.act?.toPosition, entries.find((e) => e.admin != null)?.position, 'the approval points at the erasure entry')
  const clear = JSON.stringify(entries)
  for (const needle of [victim.juminhyoCode, victim.nameKanji, victim.nameKana, victim.kojinBango, victim.address]) t.notOk(clear.includes(needle), 'no personal data in the entries')
  t.ok(ad1.length > 0)
})

t.test('print: refused and recorded while hardcopy is prohibited (the default); recorded before printing when allowed', async (t) => {
  const operator = await session(fx, 'OP001')
  const p = person(3)
  const hit = (await fx.ask({ session: operator, search: { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode, kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false } })).search?.hits[0]?.ref ?? ''
  const before = fx.store.head().position
  const refused = await fx.ask({ session: operator, print: { purpose: 'B5-RYOKEN', ref: hit } })
  t.equal(refused.errorCode, 'KEN_ERR_TERM_PRINT_PROHIBITED')
  t.same((await actsAfter(fx.store, before)).map((a) => [a.kind, a.refused]), [['terminal.print', true]])

  const allowed = await makeFixture(pki, { hardcopy: 'print-with-record' })
  const op2 = await session(allowed, 'OP001')
  const ref = (await allowed.ask({ session: op2, search: { purpose: 'B5-RYOKEN', juminhyoCode: p.juminhyoCode, kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false } })).search?.hits[0]?.ref ?? ''
  const from = allowed.store.head().position
  const printed = await allowed.ask({ session: op2, print: { purpose: 'B5-RYOKEN', ref } })
  t.equal(printed.errorCode, '')
  t.equal((await allowed.ask({ session: op2, print: { purpose: 'B5-RYOKEN', ref: 'not-a-ref' } })).errorCode, 'KEN_ERR_TERM_UNKNOWN_REF', 'only a record of this session')
  const acts = await actsAfter(allowed.store, from)
  t.same(acts.map((a) => [a.kind, a.refused, a.actor, a.purpose]), [['terminal.print', false, 'OP001', 'B5-RYOKEN'], ['terminal.print', true, 'OP001', 'B5-RYOKEN']])
  t.equal(acts[0]?.subjects.length, 1, 'whom, as a blind index')
  t.equal(printed.logPosition, from + 1, 'the print is durable in the log when the console is told to print')
  const sessionInfo = (await allowed.ask({ session: op2, sessionOp: { action: 1 } })).session
  t.equal(sessionInfo?.hardcopy, 'print-with-record', 'the console learns the policy from the store')
  await allowed.store.close()
})

t.teardown(async () => { await fx.store.close() })
