import fs from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'

// A browser for the e2e tests: Debian's chromium (CI installs it), else Playwright's own
// where a user ran `npx playwright install chromium`. None: the tests say so loudly and skip.

export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  try {
    candidates.push(chromium.executablePath())
  } catch {
    // playwright-core without a downloaded browser
  }
  return candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null
}

export function skipReason(): string | null {
  if (process.env.TEST_DATABASE_URL) return 'e2e runs in the embedded-PGlite pass only (TEST_DATABASE_URL is set)'
  if (!findChromium()) return 'no Chromium found (/usr/bin/chromium or Playwright\'s own); install Debian\'s `chromium` to run the browser tests'
  return null
}

export function announceSkip(reason: string): void {
  const bar = '!'.repeat(78)
  console.warn(`\n${bar}\n!! E2E SKIPPED: ${reason}\n${bar}\n`)
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium()!,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A desktop-sized page with the tests' patience, whose uncaught errors go into `errors` (none expected). */
export async function dashboardPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } })
  page.setDefaultTimeout(60_000)
  page.on('pageerror', (e) => errors.push(e.message.split('\n')[0]))
  return page
}
