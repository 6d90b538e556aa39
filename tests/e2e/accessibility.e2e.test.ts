import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import type AxeCore from 'axe-core'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { announceSkip, launchChromium, skipReason } from './browser'
import { openDashboardSession, type DashboardSession } from './dashboard-session'
import { startDevServer, type DevServer } from './dev-server'

// Every page a person sees, checked by axe-core (https://github.com/dequelabs/axe-core, the
// engine browsers' own audits use) for serious and critical violations: the dashboard before
// connecting, after connecting and a sync, with conflicts open, with the lead dialog open, with
// the settings open, and /login. No rule is disabled. axe only sees what is rendered, so the
// keyboard is walked too: connect, Refresh CRM, decide a conflict, add and edit a lead, with no
// mouse, and the focus is checked where a dialog or a decided item leaves it.

const reason = skipReason()
if (reason) announceSkip(reason)

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** axe's serious and critical violations on the page as it is now, one line per rule with the elements. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: typeof AxeCore }).axe
    const { violations } = await axe.run(document, { resultTypes: ['violations'] })
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.slice(0, 5).join(', ')}`)
}

/** Tab (only) until `target` has the focus, as a keyboard user reaches it. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    // Not the locator's 60 s wait for an element: one not (yet) on the page is just not focused.
    if (await target.count() === 1 && await target.evaluate((el) => el === document.activeElement, undefined, { timeout: 5_000 })) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`${target} was not reached with ${max} presses of Tab`)
}

/** The focused control's name (its aria-label, else its text); 'body' when nothing has the focus. */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  if (!el || el === document.body) return 'body'
  return (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 120)
})

describe.skipIf(!!reason)('the dashboard with axe and the keyboard alone', () => {
  let s: DashboardSession
  beforeAll(async () => { s = await openDashboardSession({ contacts: 5 }) })
  afterAll(async () => { await s?.close() })

  const leadCount = async () => Number((await s.page.getByTestId('lead-count').textContent())?.match(/\d+/)?.[0] ?? 0)

  it('before connecting, and with the Connect CRM panel open: no serious violation; Escape closes the panel onto its button', async () => {
    await s.page.goto(s.dev.appUrl)
    expect(await seriousViolations(s.page)).toEqual([])
    const connectCrm = s.page.getByRole('button', { name: 'Connect CRM' })
    await tabTo(s.page, connectCrm)
    // A keyboard user sees where they are.
    expect(await connectCrm.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none')
    await s.page.keyboard.press('Enter')
    expect(await connectCrm.getAttribute('aria-expanded')).toBe('true')
    expect(await seriousViolations(s.page)).toEqual([])
    await s.page.keyboard.press('Tab')
    await s.page.keyboard.press('Escape')
    await expect.poll(() => s.page.getByTestId('connect-panel').count()).toBe(0)
    expect(await focused(s.page)).toBe('Connect CRM')
  })

  it('connects the sandbox and runs Refresh CRM from the keyboard; the synced dashboard has no serious violation', async () => {
    await s.page.keyboard.press('Enter')
    await tabTo(s.page, s.page.getByRole('button', { name: 'Connect HubSpot' }))
    await s.page.keyboard.press('Enter')
    // HubSpot's (the sandbox's) consent page: not ours to check, but it is passed with the keyboard too.
    await s.page.waitForURL((u) => u.port === new URL(s.dev.sandboxUrl).port && u.pathname === '/oauth/authorize')
    await tabTo(s.page, s.page.getByRole('button', { name: 'Connect app' }))
    await s.page.keyboard.press('Enter')
    await s.page.waitForURL((u) => u.toString().startsWith(`${s.dev.appUrl}/?connected=`))
    await expect.poll(leadCount, { timeout: 60_000, interval: 500 }).toBe(5)
    await expect.poll(() => s.page.getByTestId('sync-status-deal').getByLabel('Success').isVisible(), { timeout: 60_000 }).toBe(true)
    // The live regions for what changes on its own are there, empty, before anything is said in them
    // (one that appears together with its text is often not read out).
    expect(await s.page.getByTestId('refresh-result').evaluate((el) => [el.getAttribute('role'), el.textContent])).toEqual(['status', ''])
    expect(await s.page.getByTestId('sync-announce').getAttribute('role')).toBe('status')
    await tabTo(s.page, s.page.getByRole('button', { name: 'Refresh CRM' }))
    await s.page.keyboard.press('Enter')
    await expect.poll(() => s.page.getByTestId('refresh-result').textContent(), { timeout: 60_000 }).toMatch(/^Synced: /)
    expect(await s.page.getByRole('status').filter({ hasText: /^Synced: / }).count()).toBe(1)
    expect(await seriousViolations(s.page)).toEqual([])
  })

  it('with the settings open: no serious violation', async () => {
    await tabTo(s.page, s.page.getByText('Sync settings', { exact: true }))
    await s.page.keyboard.press('Enter')
    await expect.poll(() => s.page.getByLabel('When both sides changed a field').isVisible()).toBe(true)
    expect(await seriousViolations(s.page)).toEqual([])
  })

  it('a conflict is decided with the keyboard, and the focus moves on to the next one; the queue has no serious violation', async () => {
    // Two conflicts on the job title of two synced contacts, written as a sync would write them.
    const [{ id: connection }] = await s.sql`select id from crm_connections where tenant_id = ${LOCAL_TENANT_ID} and status = 'active'`
    const contacts = await s.sql`
      with c as (select id, first_name, last_name, job_title from contacts where tenant_id = ${LOCAL_TENANT_ID} order by id limit 2),
           k as (insert into sync_conflicts (tenant_id, connection_id, object_type, local_id, remote_id, fields, local_snapshot, remote_snapshot, created_at)
                 select ${LOCAL_TENANT_ID}, ${connection}, 'contact', c.id, l.remote_id, array['jobTitle'],
                        jsonb_build_object('firstName', c.first_name, 'lastName', c.last_name, 'jobTitle', c.job_title),
                        jsonb_build_object('jobTitle', 'Chosen in HubSpot'), now() - interval '1 minute' * row_number() over (order by c.id)
                   from c join crm_links l on l.local_id = c.id and l.object_type = 'contact'
                 returning local_id)
      select local_id from k`
    expect(contacts).toHaveLength(2)
    await s.page.goto(s.dev.appUrl)
    expect(await s.page.getByRole('radio').count()).toBe(4)
    expect(await seriousViolations(s.page)).toEqual([])
    // The oldest conflict's first choice, then the arrow to HubSpot's value, then Apply.
    const first = s.page.getByRole('radio').first()
    const firstName = await first.getAttribute('aria-label')
    expect(firstName).toMatch(/^Job title in the app: /)
    await tabTo(s.page, first)
    await s.page.keyboard.press('ArrowRight')
    expect(await s.page.getByRole('radio').nth(1).isChecked()).toBe(true)
    await s.page.keyboard.press('Tab')
    expect(await focused(s.page)).toBe('Apply')
    await s.page.keyboard.press('Enter')
    await expect.poll(() => s.page.getByRole('radio').count(), { timeout: 30_000 }).toBe(2)
    const [decided] = await s.sql`select resolution from sync_conflicts where status = 'resolved'`
    expect(decided.resolution).toMatchObject({ choices: { jobTitle: 'remote' } })
    // On to the next conflict's first choice, not back to the top of the s.page.
    await expect.poll(() => focused(s.page)).toMatch(/^Job title in the app: /)
    expect(await s.page.getByRole('radio').first().evaluate((el) => el === document.activeElement)).toBe(true)
  })

  it('a lead is added and edited with the keyboard; the dialog has no serious violation and gives the focus back on close', async () => {
    const addLead = s.page.getByRole('button', { name: 'Add lead' })
    await tabTo(s.page, addLead)
    await s.page.keyboard.press('Enter')
    const add = s.page.getByRole('dialog', { name: 'Add a lead' })
    await expect.poll(() => add.isVisible()).toBe(true)
    // The first field has the focus: typing goes straight in.
    await expect.poll(() => add.getByLabel('Email').evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await seriousViolations(s.page)).toEqual([])
    await s.page.keyboard.type(`keyboard-${Date.now()}@example.com`)
    await s.page.keyboard.press('Enter')
    await expect.poll(() => add.isVisible()).toBe(false)
    await expect.poll(leadCount).toBe(6)
    expect(await focused(s.page)).toBe('Add lead')

    const edit = s.page.getByTestId('leads').getByRole('button', { name: /^Edit/ }).first()
    const editName = (await edit.getAttribute('aria-label'))!
    await tabTo(s.page, edit)
    await s.page.keyboard.press('Enter')
    const dialog = s.page.getByRole('dialog', { name: editName })
    await expect.poll(() => dialog.isVisible()).toBe(true)
    expect(await seriousViolations(s.page)).toEqual([])
    // Escape closes it, and the focus is back on the row's Edit button.
    await s.page.keyboard.press('Escape')
    await expect.poll(() => dialog.isVisible()).toBe(false)
    expect(await focused(s.page)).toBe(editName)
    // Again, and this time saved: Tab to Job title (email, phone, first name, last name before it).
    await s.page.keyboard.press('Enter')
    await expect.poll(() => dialog.getByLabel('Email').evaluate((el) => el === document.activeElement)).toBe(true)
    for (let i = 0; i < 4; i++) await s.page.keyboard.press('Tab')
    expect(await dialog.getByLabel('Job title').evaluate((el) => el === document.activeElement)).toBe(true)
    await s.page.keyboard.press('ControlOrMeta+A')
    await s.page.keyboard.type('Typed without a mouse')
    await s.page.keyboard.press('Enter')
    await expect.poll(() => dialog.isVisible()).toBe(false)
    await expect.poll(() => s.page.getByTestId('leads').getByText('waiting to sync').count()).toBe(1)
    await expect.poll(() => focused(s.page)).toBe(editName)
  })

  it('raised no error in the browser along the way', () => {
    expect(s.pageErrors).toEqual([])
  })
})

describe.skipIf(!!reason)('/login with axe', () => {
  let dev: DevServer
  let browser: Browser

  beforeAll(async () => {
    // Supabase Auth's public keys make /login the sign-in page; nothing answers there, and /login asks nothing of it.
    dev = await startDevServer({ contacts: 1, env: { NEXT_PUBLIC_SUPABASE_URL: 'http://127.0.0.1:9', NEXT_PUBLIC_SUPABASE_ANON_KEY: 'anon' } })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await dev?.stop()
  })

  it('the sign-in form, and its error, have no serious violation', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(60_000)
    await page.goto(`${dev.appUrl}/login?error=${encodeURIComponent('That sign-in link has expired')}`)
    await page.getByRole('main').getByRole('alert').waitFor()
    expect(await seriousViolations(page)).toEqual([])
    expect(await page.getByRole('main').getByRole('alert').textContent()).toBe('That sign-in link has expired')
    expect(await page.getByLabel('Work email').isVisible()).toBe(true)
  })
})
