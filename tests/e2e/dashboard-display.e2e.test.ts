import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Sql } from '../../lib/store/db'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { announceSkip, skipReason } from './browser'
import { openDashboardSession, type DashboardSession } from './dashboard-session'
import type { DevServer } from './dev-server'

// How the dashboard draws what it holds: the connection card's portal, and a run still running
// in the run history (written straight into `npm run dev`'s embedded Postgres).

const reason = skipReason()
if (reason) announceSkip(reason)

describe.skipIf(!!reason)("the dashboard's card and run history", () => {
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

  it('a run still running is drawn by its time so far, striped, its point hollow', async () => {
    const [connection] = await sql`select id from crm_connections`
    // The finished runs ten minutes back, so the one in flight (40 s old) is the newest, at the right, as a lease makes it.
    await sql`update sync_runs set started_at = started_at - interval '10 minutes', finished_at = finished_at - interval '10 minutes'`
    await sql`update crm_connections set sync_lease_owner = 'e2e', sync_lease_until = now() + interval '10 minutes', sync_lease_renewed_at = now()
               where id = ${connection.id}`
    await sql`insert into sync_runs (tenant_id, connection_id, run_group, object_type, trigger, status, started_at, created)
              values (${LOCAL_TENANT_ID}, ${connection.id}, gen_random_uuid(), 'contact', 'manual', 'running', now() - interval '40 seconds', 3)`
    await goto(dev.appUrl)
    // Read in one go, again until it holds: `next dev` reloads the page when a file it serves changes.
    const drawn = () => page.evaluate(() => {
      const chart = document.querySelector('svg[aria-label="Records written and duration per sync run"]')
      const running = chart?.querySelectorAll('[data-testid="run-bar"][data-running]') ?? []
      const points = chart?.querySelectorAll('[data-testid="run-point"]') ?? []
      const last = points[points.length - 1]
      return {
        running: running.length, fill: running[0]?.getAttribute('fill'), dash: running[0]?.getAttribute('stroke-dasharray'),
        title: running[0]?.querySelector('title')?.textContent, cy: last?.getAttribute('cy'), pointFill: last?.getAttribute('fill'),
        finished: chart?.querySelector('[data-testid="run-bar"]:not([data-running])')?.getAttribute('opacity'),
        scale: document.querySelector('[data-testid="run-history-scale"]')?.textContent, caption: chart?.closest('figure')?.querySelector('figcaption')?.textContent,
      }
    }).catch(() => null)
    await expect.poll(drawn).toMatchObject({
      running: 1, fill: expect.stringMatching(/^url\(#running-stripes-[\w-]+\)$/), dash: '3 2',
      // Its time so far, 40 s and more: the longest run, so its point is at the top (y = the frame's pad, 24), not on the axis (116).
      title: expect.stringMatching(/ · running, [4-9]\d\.\d s so far$/), cy: '24', pointFill: '#ffffff',
      // Finished runs keep their own look.
      finished: '0.75',
      scale: expect.stringMatching(/longest run: [4-9]\d\.\d s$/), caption: expect.stringMatching(/Striped: still running, drawn by its time so far\.$/),
    })
  })

  it('raised no error in the browser along the way', () => {
    expect(session.pageErrors).toEqual([])
  })
})
