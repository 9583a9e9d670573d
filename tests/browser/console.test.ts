// The web console as a clerk uses it, in a real Chromium (Debian's /usr/bin/chromium through
// puppeteer-core): log in with both factors, search by 氏名+生年月日 with a purpose (keyboard only),
// open a record, record a provision; a search by 性別 alone or by one item is refused with a clear
// message; the idle lock hides the record; a technician and an expired account cannot search.
// Screenshots of the main screens are kept under test-output/browser/ (git-ignored).
import t from 'tap'
import path from 'node:path'
import { readFileSync } from 'node:fs'
import type { Page } from 'puppeteer-core'
import { launchChromium, shot, WAIT } from './chromium.ts'
import { DEV_PIN } from '../../certs/src/dev-pki.ts'
import { person, tempDir } from '../unit/store/helpers.ts'
import { actsAfter } from '../unit/store/terminal/helpers.ts'
import { startTerminal, type Terminal } from '../protocol/terminal/helpers.ts'


const dir = tempDir(t, 'ken-term-browser-')
const term = await startTerminal(path.join(dir, 'main'))
const idle = await startTerminal(path.join(dir, 'idle'), { idleLockSeconds: 3 })
const browser = await launchChromium(t, term, idle)

async function login (page: Page, terminal: Terminal, id: string, pin = DEV_PIN): Promise<void> {
  await page.goto(new URL('/login', terminal.url).href, { waitUntil: 'load' })
  await page.type('#accountId', id)
  const cert = await page.$('input#certificate')
  const key = await page.$('input#key')
  if (cert === null || key === null) throw new Error('login form incomplete')
  await cert.uploadFile(path.join(terminal.pkiDir, 'operators', `${id}.crt`))
  await key.uploadFile(path.join(terminal.pkiDir, 'operators', `${id}.key`))
  await page.type('#pin', pin)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#login-submit')])
}

async function text (page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (el) => el.textContent ?? '')
}

t.test('an operator logs in, searches by 氏名+生年月日 with the keyboard, opens a record, records a provision', async (t) => {
  const page = await browser.newPage()
  await page.goto(new URL('/login', term.url).href, { waitUntil: 'load' })
  await shot(page, '01-login')
  await login(page, term, 'OP001')
  t.match(page.url(), /\/search$/)
  await shot(page, '02-search')
  const p = person(6)
  const before = term.fixture.store.head().position
  // Keyboard only: the purpose select has the focus; Tab through the fields, Enter submits.
  await page.keyboard.press('Tab') // 住民票コード
  await page.keyboard.press('Tab') // 個人番号
  await page.keyboard.press('Tab') // 氏名
  await page.keyboard.sendCharacter(p.nameKanji)
  await page.keyboard.press('Tab') // 住所
  await page.keyboard.press('Tab') // 生年月日
  await page.keyboard.type(p.birthDate)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.keyboard.press('Enter')])
  t.match(await text(page, '#hit-count'), /^1 /)
  t.match(await text(page, '#results'), p.nameKanji)
  t.notMatch(await page.content(), p.kojinBango, 'the result list never shows 個人番号')
  await shot(page, '03-results')
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#open-0')])
  t.match(await text(page, '#record'), p.address)
  await shot(page, '04-record')
  await page.type('#reference', 'DOC-2026-001')
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#provide-submit')])
  t.match(await text(page, '#notice'), /記録番号 \d+/)
  await shot(page, '05-provided')
  const acts = await actsAfter(term.fixture.store, before)
  t.same(acts.filter((a) => a.actor === 'OP001').map((a) => a.kind), ['terminal.search', 'terminal.view', 'terminal.provide'], 'one entry per act')

  // 性別 alone, and one item alone: refused with a clear message.
  await page.goto(new URL('/search', term.url).href, { waitUntil: 'load' })
  await page.select('#sex', 'female')
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#search-submit')])
  t.equal(await page.$eval('#error', (el) => el.getAttribute('data-code')), 'KEN_ERR_TERM_SEARCH_CONDITIONS')
  t.match(await text(page, '#error'), /2つ以上/)
  await shot(page, '06-refused-sex-only')
  await page.goto(new URL('/search', term.url).href, { waitUntil: 'load' })
  await page.type('#name', p.nameKanji)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#search-submit')])
  t.equal(await page.$eval('#error', (el) => el.getAttribute('data-code')), 'KEN_ERR_TERM_SEARCH_CONDITIONS')

  // The English switch.
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('a.lang')])
  t.match(await text(page, 'h1'), 'Identity search')
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('a.lang')])
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('header nav form[action="/logout"] button')])
  t.match(await text(page, '#notice'), 'ログアウト')
  await page.close()
})

t.test('a technician and an expired account cannot search', async (t) => {
  const page = await browser.newPage()
  await login(page, term, 'TE001')
  t.match(page.url(), /\/home$/)
  t.ok(await page.$('#no-resident-role'))
  await page.goto(new URL('/search', term.url).href, { waitUntil: 'load' })
  t.equal(await page.$eval('#error', (el) => el.getAttribute('data-code')), 'KEN_ERR_TERM_ROLE_FORBIDDEN')
  t.notOk(await page.$('#search-form'), 'no search form for a technician')
  await shot(page, '07-technician')
  await page.close()

  const expired = await browser.newPage()
  term.fixture.clock.now = new Date('2027-04-30T15:00:00Z') // 2027-05-01 00:00 JST
  try {
    await login(expired, term, 'OP001')
    t.equal(await expired.$eval('#error', (el) => el.getAttribute('data-code')), 'KEN_ERR_TERM_ACCOUNT_EXPIRED')
    t.match(await text(expired, '#error'), /4月30日/)
    await shot(expired, '08-expired')
  } finally {
    term.fixture.clock.now = new Date('2026-06-01T01:00:00Z')
    await expired.close()
  }
})

t.test('the administrators\' account screens: one registers, a second approves', async (t) => {
  const page = await browser.newPage()
  await login(page, term, 'AD001')
  t.match(page.url(), /\/admin\/accounts$/)
  t.match(await text(page, '#accounts'), 'OP001')
  await page.type('#register-form #accountId', 'OP002')
  await page.type('#register-form #department', 'D-ZEIMU')
  await page.type('#register-form #branch', 'HONCHO')
  await page.type('#register-form #purposes', 'B6-KENZEI')
  await page.type('#register-form #pin', DEV_PIN)
  await page.$eval('#certificatePem', (el, pem) => { (el as unknown as { value: string }).value = pem }, readFileSync(path.join(term.pkiDir, 'operators', 'OP002.crt'), 'utf8'))
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#register-form button[type="submit"]')])
  t.match(await text(page, '#notice'), /記録番号 \d+/)
  t.ok(await page.$('#approve-OP002'), 'pending, with an approve button')
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#approve-OP002')])
  t.equal(await page.$eval('#error', (el) => el.getAttribute('data-code')), 'KEN_ERR_TERM_SAME_ADMINISTRATOR', 'not by the one who registered')
  await shot(page, '09-accounts')
  await page.close()
  const second = await browser.newPage()
  await login(second, term, 'AD002')
  await Promise.all([second.waitForNavigation({ waitUntil: 'load', ...WAIT }), second.click('#approve-OP002')])
  t.match(await text(second, '#notice'), /記録番号 \d+/)
  t.notOk(await second.$('#approve-OP002'), 'approved')
  await second.close()
})

t.test('the idle lock hides the record until the operator authenticates again', async (t) => {
  const page = await browser.newPage()
  await login(page, idle, 'OP001')
  const p = person(7)
  await page.type('#juminhyoCode', p.juminhyoCode)
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#search-submit')])
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click('#open-0')])
  t.match(await text(page, '#record'), p.nameKanji)
  // No input from here: the page's idle script locks after 3 s; wait for the locked screen itself.
  await page.waitForSelector('#locked', WAIT)
  t.notMatch(await page.content(), p.nameKanji, 'nothing personal on the locked screen')
  await shot(page, '10-locked')
  const who = await idle.fixture.ask({ sessionOp: { action: 1 } })
  t.equal(who.errorCode, 'KEN_ERR_TERM_NO_SESSION', 'a request without the session still gets nothing')
  await page.goBack({ waitUntil: 'load' }).catch(() => undefined)
  t.notMatch(await page.content(), p.nameKanji, 'Back shows nothing either')
  await page.close()
})
