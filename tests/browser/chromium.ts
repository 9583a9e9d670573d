/**
 * What every console browser test sets up: Debian's Chromium driven by puppeteer-core (the console is
 * tested as a clerk uses it), the screenshots folder kept as test output, and a teardown that closes
 * the browser and the terminals the test started.
 */
import path from 'node:path'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'

export const OUT = fileURLToPath(new URL('../../test-output/browser/', import.meta.url))
mkdirSync(OUT, { recursive: true })

/** Waits for selectors and navigation: generous, as the suite runs on 2 loaded cores. */
export const WAIT = { timeout: 60_000 }

export async function launchChromium (t: Test, ...alsoClose: ReadonlyArray<{ close: () => Promise<void> }>): Promise<Browser> {
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    // Tests run as root; the development CA is not in Chromium's store, so certificate errors are accepted here only.
    args: ['--no-sandbox', '--ignore-certificate-errors', '--lang=ja-JP'],
    acceptInsecureCerts: true
  })
  t.teardown(async () => {
    await browser.close()
    for (const c of alsoClose) await c.close()
  })
  return browser
}

/** A full-page screenshot into test-output/browser/NAME.png. */
export async function shot (page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true })
}
