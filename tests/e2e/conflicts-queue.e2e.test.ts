import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import type { Sql } from '../../lib/store/db'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { insertConnection } from '../helpers/fixtures'
import { announceSkip, skipReason } from './browser'
import { openDashboardSession, type DashboardSession } from './dashboard-session'
import type { DevServer } from './dev-server'

// The conflicts queue with more open conflicts than a page holds: the heading says how many
// of how many, and the oldest are reached through the page links. The conflicts are written
// straight into `npm run dev`'s embedded Postgres (the URL it prints), as a sync would.

const reason = skipReason()
if (reason) announceSkip(reason)

describe.skipIf(!!reason)('the conflicts queue, 61 open', () => {
  let session: DashboardSession
  let dev: DevServer
  let page: Page
  let sql: Sql

  beforeAll(async () => {
    session = await openDashboardSession({ contacts: 5 })
    ;({ dev, page, sql } = session)
    const connection = await insertConnection(sql, LOCAL_TENANT_ID)
    // Conflict i (1 = the oldest) is on contact "Person i".
    await sql`
      with c as (insert into contacts (tenant_id, first_name, last_name, source)
                 select ${LOCAL_TENANT_ID}, 'Person', i::text, 'crm' from generate_series(1, 61) i returning id, last_name)
      insert into sync_conflicts (tenant_id, connection_id, object_type, local_id, remote_id, fields, local_snapshot, remote_snapshot, created_at)
      select ${LOCAL_TENANT_ID}, ${connection}, 'contact', c.id, c.last_name, array['jobTitle'],
             jsonb_build_object('firstName', 'Person', 'lastName', c.last_name, 'jobTitle', 'app'), jsonb_build_object('jobTitle', 'crm'),
             now() - make_interval(mins => 62 - c.last_name::int)
        from c`
  })

  afterAll(async () => { await session?.close() })

  const heading = () => page.getByTestId('conflicts-heading').textContent()
  const range = () => page.getByTestId('conflict-range').textContent()

  it('shows 50 of 61, oldest first, and the last 11 on the next page', async () => {
    await page.goto(dev.appUrl)
    expect((await heading())?.trim()).toBe('Conflicts to review (50 of 61)')
    expect(await page.getByRole('link', { name: '61 open conflicts' }).isVisible()).toBe(true)
    expect(await range()).toBe('1–50 of 61, oldest first')
    expect(await page.getByText('Contact · Person 1', { exact: true }).isVisible()).toBe(true)
    // Fields by the names the lead form gives them, not the code's.
    expect(await page.getByRole('cell', { name: 'Job title', exact: true }).first().isVisible()).toBe(true)
    expect(await page.getByRole('cell', { name: 'jobTitle', exact: true }).count()).toBe(0)
    await page.getByRole('link', { name: 'Newer →' }).click()
    await expect.poll(range).toBe('51–61 of 61, oldest first')
    expect(new URL(page.url()).searchParams.get('conflicts_page')).toBe('2')
    expect((await heading())?.trim()).toBe('Conflicts to review (11 of 61)')
    expect(await page.getByText('Contact · Person 61', { exact: true }).isVisible()).toBe(true)
  })

  it('a conflict whose contact the app deleted leaves the queue and the count', async () => {
    await sql`delete from contacts where tenant_id = ${LOCAL_TENANT_ID} and first_name = 'Person' and last_name = '61'`
    await page.reload()
    await expect.poll(range).toBe('51–60 of 60, oldest first')
    expect(await page.getByRole('link', { name: '60 open conflicts' }).isVisible()).toBe(true)
    const [k] = await sql`select status from sync_conflicts where remote_id = '61'`
    expect(k.status).toBe('dismissed')
  })

  it("an app edit of the waiting field is the app's side: a page shown before it is refused, the page shown after applies it", async () => {
    const item = () => page.locator('li').filter({ has: page.getByText('Contact · Person 3', { exact: true }) })
    await sql`update contacts set job_title = 'App s1' where tenant_id = ${LOCAL_TENANT_ID} and first_name = 'Person' and last_name = '3'`
    await page.goto(dev.appUrl)
    expect(await item().getByRole('radio').first().locator('..').textContent()).toBe('App s1')
    // Edited again after the page was shown: the choice was made on App s1, so it is refused.
    await sql`update contacts set job_title = 'App s2' where tenant_id = ${LOCAL_TENANT_ID} and first_name = 'Person' and last_name = '3'`
    await item().getByRole('radio').nth(1).check()
    await item().getByRole('button', { name: 'Apply' }).click()
    await expect.poll(() => item().locator('.text-rose-600').textContent()).toMatch(/changed since \(jobTitle\)/)
    const [waiting] = await sql`select k.status, c.job_title from sync_conflicts k join contacts c on c.id = k.local_id where k.remote_id = '3'`
    expect(waiting).toEqual({ status: 'open', job_title: 'App s2' })
    // Shown again, the queue has the newest app value at once (no sync between), and Apply keeps it.
    await page.reload()
    expect(await item().getByRole('radio').first().locator('..').textContent()).toBe('App s2')
    await item().getByRole('radio').first().check()
    await item().getByRole('button', { name: 'Apply' }).click()
    await expect.poll(() => item().count()).toBe(0)
    const [decided] = await sql`select k.status, k.resolution, c.job_title from sync_conflicts k join contacts c on c.id = k.local_id where k.remote_id = '3'`
    expect(decided).toMatchObject({ status: 'resolved', resolution: { choices: { jobTitle: 'local' }, toRemote: { jobTitle: 'App s2' } }, job_title: 'App s2' })
  })

  it('leaving the strategy for "HubSpot wins" can also decide the waiting conflicts, when ticked', async () => {
    // The app side as the conflicts remember it, so none has moved since.
    await sql`update contacts set job_title = 'app' where tenant_id = ${LOCAL_TENANT_ID} and first_name = 'Person'`
    await page.reload()
    const settings = page.getByTestId('sync-settings')
    await settings.getByText('Sync settings').click()
    await settings.getByLabel('When both sides changed a field').selectOption('manual_review')
    expect(await settings.getByTestId('decide-waiting').count()).toBe(0)
    await settings.getByLabel('When both sides changed a field').selectOption('source_priority')
    const decide = settings.getByRole('checkbox', { name: 'Also decide the 59 waiting conflicts with this strategy' })
    expect(await decide.isChecked()).toBe(false)
    expect(await settings.getByText('they stay in the conflicts queue for a person').isVisible()).toBe(true)
    await decide.check()
    // One record deleted in the app after the page was read: its conflict is dismissed on save, and the note says so.
    await sql`delete from contacts where tenant_id = ${LOCAL_TENANT_ID} and first_name = 'Person' and last_name = '2'`
    await settings.getByRole('button', { name: 'Save settings' }).click()
    await expect.poll(() => settings.getByRole('status').textContent(), { timeout: 30_000 })
      .toBe('Saved; 58 conflicts decided, 1 dismissed (record gone on one side)')
    const [left] = await sql`select count(*)::int as n from sync_conflicts where tenant_id = ${LOCAL_TENANT_ID} and status = 'open'`
    expect(left.n).toBe(0)
    const [person] = await sql`select job_title from contacts where tenant_id = ${LOCAL_TENANT_ID} and first_name = 'Person' and last_name = '1'`
    expect(person.job_title).toBe('crm')
  })

  it('raised no error in the browser along the way', () => {
    expect(session.pageErrors).toEqual([])
  })
})
