// A clerk serves a resident's own requests in a real Chromium (puppeteer-core, Debian chromium):
// a provision recorded first; then a disclosure (開示, 住基法30条の32) on screen and on paper — the
// PDF is downloaded, drawn by pdftoppm and read by pdftotext (the resident's name and the provision
// row) and pdfinfo (A4); then a correction request (30条の35) received and taken to investigation,
// listed among the open cases. Each act is one log entry. Screenshots in test-output/browser/.
import t from 'tap'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs'
import type { Page } from 'puppeteer-core'
import { launchChromium, OUT, shot, WAIT } from './chromium.ts'
import { DEV_PIN } from '../../certs/src/dev-pki.ts'
import { person, tempDir } from '../unit/store/helpers.ts'
import { actsAfter } from '../unit/store/terminal/helpers.ts'
import { startTerminal } from '../protocol/terminal/helpers.ts'
import { registerAccount, REQUEST_PURPOSES } from '../protocol/terminal/request-clerk.ts'


const dir = tempDir(t, 'ken-term-disclosure-browser-')
const term = await startTerminal(path.join(dir, 'term'))
await registerAccount(term.fixture, 'OP002', 'operator', REQUEST_PURPOSES)
const browser = await launchChromium(t, term)
const p = person(7)

async function text (page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (el) => el.textContent ?? '')
}

async function submit (page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load', ...WAIT }), page.click(selector)])
}

async function login (page: Page, id: string): Promise<void> {
  await page.goto(new URL('/login', term.url).href, { waitUntil: 'load' })
  await page.type('#accountId', id)
  const cert = await page.$('input#certificate')
  const key = await page.$('input#key')
  if (cert === null || key === null) throw new Error('login form incomplete')
  await cert.uploadFile(path.join(term.pkiDir, 'operators', `${id}.crt`))
  await key.uploadFile(path.join(term.pkiDir, 'operators', `${id}.key`))
  await page.type('#pin', DEV_PIN)
  await submit(page, '#login-submit')
}

/** Search the resident by 住民票コード under `purpose` and open the record. */
async function openRecord (page: Page, purpose: string): Promise<void> {
  await page.goto(new URL('/search', term.url).href, { waitUntil: 'load' })
  await page.select('#purpose', purpose)
  await page.type('#juminhyoCode', p.juminhyoCode)
  await submit(page, '#search-submit')
  await submit(page, '#open-0')
}

/** Run `fn` and return the kinds of the acts it recorded. */
async function kindsOf (fn: () => Promise<void>): Promise<string[]> {
  const before = term.fixture.store.head().position
  await fn()
  return (await actsAfter(term.fixture.store, before)).map((a) => a.kind)
}

t.test('a clerk discloses a record and its provision history on screen and prints the A4 form', async (t) => {
  const page = await browser.newPage()
  await login(page, 'OP002')
  // A provision to 旅券センター, recorded before the disclosure.
  await openRecord(page, 'B5-RYOKEN')
  await page.select('#recipient', 'R-RYOKEN')
  await page.type('#reference', 'DOC-7')
  await submit(page, '#provide-submit')
  t.ok(await page.$('#notice'), 'provision recorded')

  await openRecord(page, 'K-KAIJI')
  t.ok(await page.$('#disclosure-form'), 'the record page under the disclosure 事務 offers the disclosure')
  await page.select('#document', 'driving-licence')
  await page.type('#documentReference', 'KJ-101')
  await shot(page, 'disclosure-01-verify')
  const screenKinds = await kindsOf(async () => { await submit(page, '#disclose-submit') })
  t.same(screenKinds, ['disclosure.give'], 'the disclosure is one act')
  t.match(await text(page, '#disclosed-record'), p.nameKanji)
  t.match(await text(page, '#provisions'), '旅券センター')
  t.match(await text(page, '#provisions'), '旅券の発給に関する事務')
  await shot(page, 'disclosure-02-screen')

  // On paper: the form is downloaded as a PDF.
  const downloads = path.join(dir, 'downloads')
  mkdirSync(downloads, { recursive: true })
  const cdp = await page.createCDPSession()
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true })
  const done = new Promise<void>((resolve) => { cdp.on('Browser.downloadProgress', (e: { state: string }) => { if (e.state === 'completed') resolve() }) })
  await openRecord(page, 'K-KAIJI')
  await page.select('#document', 'passport')
  await page.type('#documentReference', 'KJ-102')
  await page.click('#medium-paper')
  const paperKinds = await kindsOf(async () => {
    await page.click('#disclose-submit')
    await done
  })
  t.same(paperKinds, ['disclosure.give'])
  const acts = await actsAfter(term.fixture.store, term.fixture.store.head().position - 1)
  t.match(acts[0]?.note, /document=passport medium=paper/, 'the medium is recorded (paper is charged)')
  const pdf = readdirSync(downloads).filter((f) => f.endsWith('.pdf')).map((f) => path.join(downloads, f))[0] ?? ''
  t.ok(existsSync(pdf), 'the PDF was downloaded')
  t.match(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }), /Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)/)
  execFileSync('pdftoppm', ['-png', '-r', '100', pdf, path.join(dir, 'form')])
  const images = readdirSync(dir).filter((f) => /^form-\d+\.png$/.test(f))
  t.ok(images.length >= 1, 'pdftoppm drew the form')
  for (const image of images) copyFileSync(path.join(dir, image), path.join(OUT, `disclosure-03-pdf-${image}`))
  const printed = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/[ \u3000]+/g, '')
  t.ok(printed.includes(p.nameKanji.replace(/[ \u3000]+/g, '')), 'the resident\'s name is on the form')
  t.ok(printed.includes('旅券センター'), 'the provision row\'s recipient is on the form')
  t.ok(printed.includes('旅券の発給に関する事務'), 'the provision row\'s purpose is on the form')
  t.ok(printed.includes('福岡県知事'), 'the prefecture is on the form')
  await page.close()
})

t.test('a clerk receives a correction request and takes it to investigation; it is listed by age', async (t) => {
  const page = await browser.newPage()
  await login(page, 'OP002')
  await openRecord(page, 'K-TEISEI')
  await page.type('#text', '生年月日が誤っている')
  await page.type('#reference', 'TS-7')
  // The step is one act; the case page the console then shows is a read, recorded as correction.list.
  t.same(await kindsOf(async () => { await submit(page, '#receive-submit') }), ['correction.receive', 'correction.list'])
  t.equal(await page.$eval('#case-state', (el) => el.getAttribute('data-state')), 'received')
  await shot(page, 'correction-01-received')
  t.same(await kindsOf(async () => { await submit(page, '#investigate-form-submit') }), ['correction.investigate', 'correction.list'])
  t.equal(await page.$eval('#case-state', (el) => el.getAttribute('data-state')), 'investigating')
  await submit(page, '#nav-corrections')
  t.match(await text(page, '#cases'), '調査中')
  await shot(page, 'correction-02-open-cases')
  await page.close()
})
