// The statistics and review screens in a real Chromium (Debian's /usr/bin/chromium through
// puppeteer-core): a month's statistics page draws its SVG charts, one bar per table row; the
// auditor's review page flags a search seeded at 03:00 in Japan (the store's clock is injected);
// an operator's menu has no export entry (H13). Screenshots go to test-output/browser/.
import t from 'tap'
import path from 'node:path'
import type { Page } from 'puppeteer-core'
import { launchChromium, OUT, WAIT } from './chromium.ts'
import { person, tempDir } from '../unit/store/helpers.ts'
import { startReportTerminal } from '../protocol/terminal/report-terminal.ts'


const dir = tempDir(t, 'ken-reports-browser-')
const term = await startReportTerminal(dir)
const f = term.fixture
const browser = await launchChromium(t, term)

/** A page signed in as `id` with the fixture's session (the login screen is console.test.ts's). */
async function pageAs (id: string): Promise<Page> {
  const page = await browser.newPage()
  await page.setViewport({ width: 1280, height: 900 })
  const url = new URL(term.url)
  await page.setCookie({ name: 'ken_session', value: term.token(id), domain: url.hostname, path: '/', secure: true, httpOnly: true, sameSite: 'Strict' })
  return page
}

// A clerk's day at 10:00 and one search at 03:00 the next night (Japan).
for (const i of [1, 2, 3]) await f.ask({ session: f.sessions.OP001, search: { purpose: 'B5-RYOKEN', juminhyoCode: '', kojinBango: '', name: person(i).nameKanji, address: person(i).address, birthDate: '', sex: 0, fuzzy: false } })
f.clock.now = new Date('2026-06-01T18:00:00Z')
await f.relogin('OP001')
const night = await f.ask({ session: f.sessions.OP001, search: { purpose: 'B5-RYOKEN', juminhyoCode: person(9).juminhyoCode, kojinBango: '', name: '', address: '', birthDate: '', sex: 0, fuzzy: false } })
f.clock.now = new Date('2026-06-02T01:00:00Z')
await f.relogin('AU001', 'OP001', 'BA002')

t.test('the statistics page draws one chart per table, one bar per row', async (t) => {
  const page = await pageAs('AU001')
  await page.goto(new URL('/statistics?month=2026-06', term.url).href, { waitUntil: 'load', ...WAIT })
  t.equal(await page.$$eval('section.stat figure.chart svg[role="img"]', (els) => els.length), 7, 'a chart for each table')
  const bars = await page.$$eval('#stat-usage-operator svg rect.chart-bar', (els) => els.length)
  const rows = await page.$$eval('#stat-usage-operator tbody tr', (els) => els.length)
  t.equal(bars, rows)
  t.ok(bars >= 1)
  const width = await page.$eval('#stat-usage-operator svg rect.chart-bar', (el) => Number(el.getAttribute('width')))
  t.ok(width > 0, 'the bar has a length')
  t.match(await page.$eval('#stat-usage-operator', (el) => el.textContent ?? ''), /OP001/)
  t.equal(await page.$eval('#pdf-link', (el) => el.getAttribute('href')), '/api/statistics.pdf?month=2026-06')
  await page.screenshot({ path: path.join(OUT, 'reports-01-statistics.png'), fullPage: true })
})

t.test('the auditor\'s review page flags the 03:00 search, and only it, as off-hours', async (t) => {
  const page = await pageAs('AU001')
  await page.goto(new URL('/review?from=2026-06-01&to=2026-06-02&actor=OP001&kind=terminal.search', term.url).href, { waitUntil: 'load', ...WAIT })
  const flagged = await page.$$eval('#review-rows tr.flagged', (els) => els.map((el) => ({ position: Number(el.getAttribute('data-position')), flags: el.getAttribute('data-flags'), text: el.textContent ?? '' })))
  t.same(flagged.map((r) => [r.position, r.flags]), [[night.logPosition, 'off-hours']])
  t.match(flagged[0]?.text, /時間外/)
  t.equal(await page.$$eval('#review-rows tbody tr', (els) => els.length), 4, 'the day\'s three searches are listed unflagged')
  t.notMatch(await page.content(), person(9).juminhyoCode, 'the reviewer does not see who was searched')
  await page.screenshot({ path: path.join(OUT, 'reports-02-review.png'), fullPage: true })
  await page.type('#fiscalYear', '2026')
  await page.$eval('#size', (el) => { (el as unknown as { value: string }).value = '5' })
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#sample-form button[type="submit"]')])
  t.equal(await page.$$eval('#sample-rows tbody tr', (els) => els.length), 5)
  t.match(await page.$eval('#sample-summary', (el) => el.getAttribute('data-seed')), /^[0-9a-f]{32}$/)
  await page.screenshot({ path: path.join(OUT, 'reports-03-sample.png'), fullPage: true })
})

t.test('menus by role: the operator has no export entry, the branch administrator has bulk provision', async (t) => {
  const operator = await pageAs('OP001')
  await operator.goto(new URL('/search', term.url).href, { waitUntil: 'load', ...WAIT })
  t.same(await operator.$$eval('nav a', (els) => els.map((el) => el.id).filter((id) => id.startsWith('nav-'))), [])
  const admin = await pageAs('BA002')
  await admin.goto(new URL('/bulk', term.url).href, { waitUntil: 'load', ...WAIT })
  t.ok(await admin.$('#nav-bulk') !== null)
  t.ok(await admin.$('#run-form input[type="file"]#conditions') !== null)
  t.equal(await admin.$('#approve-form'), null, 'approving is the system administrator\'s')
  await admin.screenshot({ path: path.join(OUT, 'reports-04-bulk.png'), fullPage: true })
})
