// The console's 物理削除 screens and the A8.3 print policy in a real Chromium (puppeteer-core):
// a system administrator files a municipality's request; the same administrator cannot approve it; a
// security officer approves; the resident is then gone from an operator's search, and the log names
// who, when and the reference, not the content. With terminal.hardcopy "prohibited" (the default) the
// record screen has no print action and a print shows no record; with "print-with-record" the print
// button records a terminal.print act before the browser prints. Screenshots under test-output/browser/.
import t from 'tap'
import path from 'node:path'
import type { Page } from 'puppeteer-core'
import { launchChromium, shot, WAIT } from './chromium.ts'
import { DEV_PIN } from '../../certs/src/dev-pki.ts'
import { LogAdminKind, type LogEntry } from '../../proto/src/types.ts'
import { person, tempDir } from '../unit/store/helpers.ts'
import { actsAfter } from '../unit/store/terminal/helpers.ts'
import { startTerminal, type Terminal } from '../protocol/terminal/helpers.ts'


const dir = tempDir(t, 'ken-term-browser-del-')
const term = await startTerminal(path.join(dir, 'main'))
const printing = await startTerminal(path.join(dir, 'print'), { hardcopy: 'print-with-record' })
const browser = await launchChromium(t, term, printing)

/** A fresh browser context per person (own cookie), logged in with both factors. */
async function loggedIn (terminal: Terminal, id: string): Promise<Page> {
  const context = await browser.createBrowserContext()
  const page = await context.newPage()
  await page.goto(new URL('/login', terminal.url).href, { waitUntil: 'load' })
  await page.type('#accountId', id)
  const cert = await page.$('input#certificate')
  const key = await page.$('input#key')
  if (cert === null || key === null) throw new Error('login form incomplete')
  await cert.uploadFile(path.join(terminal.pkiDir, 'operators', `${id}.crt`))
  await key.uploadFile(path.join(terminal.pkiDir, 'operators', `${id}.key`))
  await page.type('#pin', DEV_PIN)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#login-submit')])
  return page
}

async function text (page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (el) => el.textContent ?? '')
}

async function searchByCode (page: Page, terminal: Terminal, code: string): Promise<void> {
  await page.goto(new URL('/search', terminal.url).href, { waitUntil: 'load' })
  await page.type('#juminhyoCode', code)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#search-submit')])
}

t.test('物理削除: filed by an administrator, refused to the requester, approved by the security officer', async (t) => {
  const victim = person(11)
  const before = term.fixture.store.head().position
  const admin = await loggedIn(term, 'AD001')
  await Promise.all([admin.waitForNavigation({ waitUntil: 'load', ...WAIT }), admin.click('#nav-deletions')])
  t.match(admin.url(), /\/admin\/deletions$/)
  await admin.type('#juminhyoCode', victim.juminhyoCode)
  await admin.type('#reference', '北九州市-物削-2026-017')
  await Promise.all([admin.waitForNavigation({ waitUntil: 'load', ...WAIT }), admin.click('#deletion-submit')])
  t.match(await text(admin, '#notice'), /記録番号 \d+/)
  const row = await admin.$eval('#deletions tbody tr', (el) => ({ id: el.getAttribute('data-request') ?? '', status: el.getAttribute('data-status') ?? '' }))
  t.equal(row.status, 'pending')
  t.equal(await admin.$(`#approve-${row.id}`), null, 'no approve button for the requester')
  t.notMatch(await admin.content(), victim.juminhyoCode, 'the list does not show the 住民票コード')
  await shot(admin, '20-deletion-filed')

  // The requester tries anyway (a forged form post): refused with a clear message, and recorded.
  const refused = await admin.evaluate(async (id) => {
    const res = await fetch('/admin/deletions', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=approve&requestId=${id}` })
    return { status: res.status, html: await res.text() }
  }, row.id)
  t.equal(refused.status, 409)
  t.match(refused.html, /data-code="KEN_ERR_TERM_DELETION_SAME_PERSON"/)

  const officer = await loggedIn(term, 'SO001')
  await Promise.all([officer.waitForNavigation({ waitUntil: 'load', ...WAIT }), officer.click('#nav-deletions')])
  await shot(officer, '21-deletion-pending')
  await Promise.all([officer.waitForNavigation({ waitUntil: 'load', ...WAIT }), officer.click(`#approve-${row.id}`)])
  t.match(await text(officer, '#notice'), /記録番号 \d+/)
  t.equal(await officer.$eval(`tr[data-request="${row.id}"]`, (el) => el.getAttribute('data-status')), 'erased')
  await shot(officer, '22-deletion-approved')

  const operator = await loggedIn(term, 'OP001')
  await searchByCode(operator, term, victim.juminhyoCode)
  t.match(await text(operator, '#hit-count'), /^0 /, 'gone from search')

  const entries: LogEntry[] = []
  for await (const r of term.fixture.store.entries(before + 1)) entries.push(r.entry)
  const erasure = entries.find((e) => e.admin?.kind === LogAdminKind.PHYSICAL_DELETION)
  t.equal(erasure?.admin?.actor, 'AD001', 'who requested')
  t.equal(erasure?.admin?.approver, 'SO001', 'who approved')
  t.match(erasure?.admin?.note, /reference=北九州市-物削-2026-017/, 'the reference')
  t.ok(erasure?.recordedAt, 'when')
  const clear = JSON.stringify(entries)
  for (const needle of [victim.juminhyoCode, victim.nameKanji, victim.nameKana, victim.kojinBango]) t.notOk(clear.includes(needle), 'not the content')
  const kinds = (await actsAfter(term.fixture.store, before)).map((a) => `${a.kind}${a.refused ? ':refused' : ''}`)
  t.ok(kinds.includes('terminal.deletion.request') && kinds.includes('terminal.deletion.approve:refused') && kinds.includes('terminal.deletion.approve'), kinds.join(' '))
})

t.test('hardcopy prohibited (the default): no print action, and printing shows no record', async (t) => {
  const operator = await loggedIn(term, 'OP001')
  await searchByCode(operator, term, person(4).juminhyoCode)
  await Promise.all([operator.waitForNavigation({ waitUntil: 'load', ...WAIT }), operator.click('#open-0')])
  t.equal(await operator.$('#print-record'), null, 'no print button')
  t.equal(await operator.$('script[src="/static/print.js"]'), null, 'no print script')
  await operator.emulateMediaType('print')
  t.equal(await operator.evaluate('getComputedStyle(document.getElementById("main")).display'), 'none', 'a print (Ctrl+P) shows no record')
  await operator.emulateMediaType('screen')
})

t.test('print with record: the print button records terminal.print before the browser prints', async (t) => {
  const operator = await loggedIn(printing, 'OP001')
  // Count the browser's print calls instead of opening a dialog.
  await operator.evaluateOnNewDocument('window.__printed = 0; window.print = function () { window.__printed++ }')
  const p = person(4)
  await searchByCode(operator, printing, p.juminhyoCode)
  await Promise.all([operator.waitForNavigation({ waitUntil: 'load', ...WAIT }), operator.click('#open-0')])
  await operator.emulateMediaType('print')
  t.equal(await operator.evaluate('getComputedStyle(document.getElementById("main")).display'), 'none', 'Ctrl+P without the button still prints nothing')
  await operator.emulateMediaType('screen')
  await shot(operator, '23-record-printable')
  const before = printing.fixture.store.head().position
  await operator.click('#print-record')
  await operator.waitForSelector('#print-record[data-log-position]', WAIT)
  const position = Number(await operator.$eval('#print-record', (el) => el.getAttribute('data-log-position')))
  t.equal(await operator.evaluate('window.__printed'), 1, 'the browser printed once')
  const acts = await actsAfter(printing.fixture.store, before)
  t.same(acts.map((a) => [a.kind, a.actor, a.purpose, a.refused]), [['terminal.print', 'OP001', 'B5-RYOKEN', false]], 'the print is an act in the log')
  t.equal(position, before + 1, 'recorded before the print (the console printed only after it had the log position)')
  await operator.emulateMediaType('print')
  t.equal(await operator.evaluate('getComputedStyle(document.getElementById("main")).display'), 'block', 'the recorded print shows the record')
})
