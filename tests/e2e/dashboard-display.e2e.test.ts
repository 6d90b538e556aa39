import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Sql } from '../../lib/store/db'
import { announceSkip, skipReason } from './browser'
import { openDashboardSession, type DashboardSession } from './dashboard-session'
import type { DevServer } from './dev-server'

// How the dashboard draws what it holds: the connection card's portal.

const reason = skipReason()
if (reason) announceSkip(reason)

describe.skipIf(!!reason)("the dashboard's card", () => {
  let session: DashboardSession
  let dev: DevServer
  let page: Page
  let sql: Sql

  beforeAll(async () => {
    session = await openDashboardSession({ contacts: 5 })
    ;({ dev, page, sql } = session)
  })

  afterAll(async () => { await session?.close() })

  /** page.goto, again if `next dev` reloaded the page under it (it does when a file it serves changes). */
  async function goto(url: string) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await page.goto(url)
      } catch (e) {
        if (attempt === 3) throw e
      }
    }
  }

  it('connected with a token, the card names the portal once, in its heading', async () => {
    const res = await fetch(`${dev.appUrl}/api/crm/connect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'private_app', token: 'sandbox-token' }) })
    expect(res.status).toBe(201)
    // The first sync over (its lease is taken below for the run in flight).
    await expect.poll(async () => {
      const [{ running, runs }] = await sql`select count(*) filter (where status = 'running')::int as running, count(*)::int as runs from sync_runs`
      return running === 0 && runs >= 4
    }, { timeout: 60_000, interval: 500 }).toBe(true)
    await goto(dev.appUrl)
    const header = page.getByTestId('connection').locator('header')
    const heading = await header.getByRole('heading', { level: 2 }).textContent()
    expect(heading).toMatch(/^HubSpot portal \d+$/)
    const portal = heading!.replace('HubSpot portal ', '')
    // It said "HubSpot" over "portal 62515 · private app · …" (OAuth: "HubSpot 62515" over it).
    expect((await header.textContent())!.split(portal).length - 1).toBe(1)
    expect(await header.locator('p').first().textContent()).toMatch(/^private app · active · last sync/)
  })

  it('raised no error in the browser along the way', () => {
    expect(session.pageErrors).toEqual([])
  })
})
