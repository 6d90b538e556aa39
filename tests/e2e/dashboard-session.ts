import type { Browser, Page } from 'playwright-core'
import { connect, type Sql } from '../../lib/store/db'
import { dashboardPage, launchChromium } from './browser'
import { devDatabaseUrl, startDevServer, type DevServer } from './dev-server'

/** What a dashboard test starts from: `npm run dev`, a connection to its database, a Chromium page on it. */
export interface DashboardSession {
  dev: DevServer
  sql: Sql
  browser: Browser
  page: Page
  /** Uncaught errors in the page: none expected. */
  pageErrors: string[]
  close(): Promise<void>
}

export async function openDashboardSession(opts: { contacts: number }): Promise<DashboardSession> {
  const dev = await startDevServer(opts)
  const pageErrors: string[] = []
  let sql: Sql | undefined
  let browser: Browser | undefined
  const close = async () => {
    await sql?.end({ timeout: 5 })
    await browser?.close()
    await dev.stop()
  }
  try {
    sql = connect(devDatabaseUrl(dev), { max: 1 })
    browser = await launchChromium()
    return { dev, sql, browser, page: await dashboardPage(browser, pageErrors), pageErrors, close }
  } catch (e) {
    // A half-started session must not leave `npm run dev` running: afterAll has nothing to close.
    await close()
    throw e
  }
}
