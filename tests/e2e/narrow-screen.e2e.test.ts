import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { announceSkip, launchChromium, skipReason } from './browser'
import { startDevServer, type DevServer } from './dev-server'

// The dashboard on a phone (375 px, an iPhone's width) and on a desktop: the Connect CRM
// panel and the leads search stay on screen and inside their card, whole.

const reason = skipReason()
if (reason) announceSkip(reason)

type Box = { x: number; y: number; width: number; height: number }

async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox()
  expect(b, `${l} has a box`).not.toBeNull()
  return b!
}

function expectInside(inner: Box, outer: Box, what: string) {
  expect(inner.x, `${what}: left edge`).toBeGreaterThanOrEqual(outer.x)
  expect(inner.x + inner.width, `${what}: right edge`).toBeLessThanOrEqual(outer.x + outer.width + 0.5)
}

describe.skipIf(!!reason)('the dashboard at 375 px and 1280 px wide', () => {
  let dev: DevServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    dev = await startDevServer({ contacts: 20 })
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 375, height: 800 } })
    page.setDefaultTimeout(60_000)
  })

  afterAll(async () => {
    await browser?.close()
    await dev?.stop()
  })

  const viewport = (): Box => ({ x: 0, y: 0, ...page.viewportSize()! })
  const panel = () => page.getByTestId('connect-panel')

  async function openPanel(name = 'Connect CRM') {
    await page.getByRole('button', { name }).click()
    await expect.poll(() => panel().isVisible()).toBe(true)
  }

  it('with nothing connected, the Connect CRM panel opens on screen with its token field whole', async () => {
    await page.goto(dev.appUrl)
    await openPanel()
    expectInside(await box(panel()), viewport(), 'panel')
    expectInside(await box(page.getByText('Or paste a HubSpot private-app token')), viewport(), 'token label')
    expectInside(await box(page.locator('#private-app-token')), viewport(), 'token input')
  })

  it('once connected, the header panel and the leads search fit the phone screen and the card', async () => {
    const res = await fetch(`${dev.appUrl}/api/crm/connect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'private_app', token: 'sandbox-token' }) })
    expect(res.status).toBe(201)
    await page.goto(dev.appUrl)
    // Connected: the header offers another portal, beside Refresh CRM, not "Connect CRM" as if none were.
    expect(await page.getByRole('button', { name: 'Connect CRM' }).count()).toBe(0)
    await openPanel('Connect another portal')
    expect(await page.getByTestId('connect-another-note').textContent()).toMatch(/^Sync another HubSpot portal into this workspace\. A portal already connected is reconnected/)
    expectInside(await box(panel()), viewport(), 'panel')
    expectInside(await box(page.locator('#private-app-token')), viewport(), 'token input')
    await page.getByRole('button', { name: 'Connect another portal' }).click()

    const card = await box(page.getByTestId('leads'))
    expectInside(card, viewport(), 'leads card')
    const search = page.getByRole('button', { name: 'Search', exact: true })
    expectInside(await box(search), card, 'Search button')
    expectInside(await box(page.getByRole('searchbox', { name: 'Search leads' })), card, 'search field')
    // The whole word, not "Searc": the button is not squeezed below its text.
    expect(await search.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await page.screenshot({ path: 'test-results/dashboard-375.png', fullPage: true })
  })

  it('on a desktop the panel hangs from the button, and the search field keeps its width', async () => {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(dev.appUrl)
    await openPanel('Connect another portal')
    const button = await box(page.getByRole('button', { name: 'Connect another portal' }))
    const p = await box(panel())
    expect(p.width).toBe(320)
    expect(Math.abs(p.x + p.width - (button.x + button.width))).toBeLessThan(1)
    expect((await box(page.getByRole('searchbox', { name: 'Search leads' }))).width).toBe(256)
  })
})
