import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Sql } from '../../lib/store/db'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { announceSkip, skipReason } from './browser'
import { openDashboardSession, type DashboardSession } from './dashboard-session'
import type { DevServer } from './dev-server'

// How the dashboard draws what it holds: the connection card's portal, a run still running in
// the run history, and phones, stored as E.164 and shown as people write them. A run in flight,
// the phones and a conflict are written straight into `npm run dev`'s embedded Postgres.

const reason = skipReason()
if (reason) announceSkip(reason)

describe.skipIf(!!reason)("the dashboard's card, run history and phones", () => {
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

  it('with no connection ever made, the lead form says the lead stays in the app and what connecting does', async () => {
    await goto(dev.appUrl)
    await page.getByRole('button', { name: 'Add lead' }).click()
    const dialog = page.getByRole('dialog')
    // It said 'Sent to HubSpot with the next sync (Refresh CRM, or the scheduled one).': nothing is queued for no CRM.
    expect(await dialog.getByTestId('push-note').textContent())
      .toBe('No CRM is connected: the lead is saved in the app only. Once you connect HubSpot, its first sync links it to the contact with the same email or phone; a lead without a match stays in the app.')
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog.isVisible()).toBe(false)
  })

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

  it('phones show as people write them, national in the workspace country, the stored E.164 kept in a tel: link', async () => {
    const [home] = await sql`insert into contacts (tenant_id, email, first_name, last_name, phone, source)
      values (${LOCAL_TENANT_ID}, 'phone-home@example.com', 'Phone', 'Home', '+13125550183', 'manual') returning id`
    await sql`insert into contacts (tenant_id, email, first_name, last_name, phone, source)
      values (${LOCAL_TENANT_ID}, 'phone-abroad@example.com', 'Phone', 'Abroad', '+442079460958', 'manual')`
    const phoneOf = async (email: string) => {
      await goto(`${dev.appUrl}/?q=${encodeURIComponent(email)}#leads`)
      const link = page.getByTestId('leads').getByRole('row').filter({ hasText: email }).getByTestId('lead-phone')
      return () => link.evaluate((a) => ({ text: a.textContent, title: a.getAttribute('title'), href: a.getAttribute('href') }), null, { timeout: 5_000 }).catch(() => null)
    }
    // The workspace's phone country is the app's default here, US.
    await expect.poll(await phoneOf('phone-home@example.com')).toEqual({ text: '(312) 555-0183', title: '+13125550183', href: 'tel:+13125550183' })
    await expect.poll(await phoneOf('phone-abroad@example.com')).toEqual({ text: '+44 20 7946 0958', title: '+442079460958', href: 'tel:+442079460958' })
    // The form shows it the same way; left as it is, saving another field leaves the stored phone alone.
    await goto(`${dev.appUrl}/?q=phone-home%40example.com#leads`)
    await page.getByTestId('leads').getByRole('button', { name: /^Edit/ }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.getByLabel('Phone').inputValue()).toBe('(312) 555-0183')
    await dialog.getByLabel('Job title').fill('Shown phones')
    await dialog.getByRole('button', { name: 'Save lead' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect((await sql`select phone, job_title from contacts where id = ${home.id}`)[0]).toEqual({ phone: '+13125550183', job_title: 'Shown phones' })

    // A conflict on the phone: both sides formatted, each keeping the stored value in its title; the choice applies the stored one.
    const [connection] = await sql`select id from crm_connections`
    await sql`insert into sync_conflicts (tenant_id, connection_id, object_type, local_id, remote_id, fields, local_snapshot, remote_snapshot)
      values (${LOCAL_TENANT_ID}, ${connection.id}, 'contact', ${home.id}, 'phone-remote', array['phone'],
              ${sql.json({ firstName: 'Phone', lastName: 'Home', phone: '+13125550183' })}, ${sql.json({ phone: '+442079460958' })})`
    await goto(`${dev.appUrl}/#conflicts`)
    const item = page.locator('li').filter({ has: page.getByText('Contact · Phone Home', { exact: true }) })
    const app = item.getByRole('radio', { name: 'Phone in the app: (312) 555-0183' })
    const crm = item.getByRole('radio', { name: 'Phone in HubSpot: +44 20 7946 0958' })
    await expect.poll(() => app.count()).toBe(1)
    expect(await crm.count()).toBe(1)
    expect(await item.getByText('(312) 555-0183', { exact: true }).getAttribute('title', { timeout: 5_000 })).toBe('+13125550183')
    expect(await item.getByText('+44 20 7946 0958', { exact: true }).getAttribute('title', { timeout: 5_000 })).toBe('+442079460958')
    await crm.check()
    await item.getByRole('button', { name: 'Apply' }).click()
    await expect.poll(async () => (await sql`select phone from contacts where id = ${home.id}`)[0].phone).toBe('+442079460958')
  })

  it('with the only connection disconnected, the dashboard names its portal as kept, and the lead form says an edit waits for that portal to be connected again', async () => {
    const [connection] = await sql`select id from crm_connections`
    const res = await fetch(`${dev.appUrl}/api/crm/disconnect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connectionId: connection.id }) })
    expect(res.status).toBe(200)
    // Not 'No CRM connected yet': the portal is named, its data kept, and Connect brings it back.
    const [{ portal_id: portal }] = await sql`select portal_id from crm_connections where id = ${connection.id}`
    await goto(dev.appUrl)
    const state = page.getByTestId('disconnected-state')
    expect(await state.getByRole('heading', { level: 2 }).textContent()).toBe(`HubSpot portal ${portal} is disconnected`)
    expect(await state.locator('p').textContent()).toBe('Its records, settings and sync history are kept. Connect the same portal again to resume syncing where it stopped.')
    expect(await state.getByRole('button', { name: 'Connect CRM' }).isVisible()).toBe(true)
    expect(await page.getByText('No CRM connected yet').count()).toBe(0)
    await goto(`${dev.appUrl}/?q=phone-abroad%40example.com#leads`)
    await page.getByTestId('leads').getByRole('button', { name: /^Edit/ }).click()
    const dialog = page.getByRole('dialog')
    // It said 'Sent to HubSpot with the next sync (Refresh CRM, or the scheduled one).': no such sync comes.
    expect(await dialog.getByTestId('push-note').textContent())
      .toBe('The connection is disconnected: the change stays in the app, and is sent to HubSpot once the same HubSpot portal is connected again (Connect CRM).')
    await dialog.getByLabel('Job title').fill('Edited while disconnected')
    await dialog.getByRole('button', { name: 'Save lead' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect((await sql`select job_title from contacts where email = 'phone-abroad@example.com'`)[0].job_title).toBe('Edited while disconnected')
  })

  it('raised no error in the browser along the way', () => {
    expect(session.pageErrors).toEqual([])
  })
})
