import http from 'node:http'
import type net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GET } from '../../app/api/cron/sync-crm/route'
import { startDevCron } from '../../scripts/dev-cron'
import { createTenant, testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { TEST_CRON_SECRET, useAppEnv } from '../app/helpers'

// npm run dev's cron calls the real /api/cron/sync-crm over HTTP with the bearer secret, on
// a schedule; here the schedule is every 200 ms instead of every hour.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 5, companies: 1, deals: 1, owners: 1, seed: 29 })
useAppEnv(sandbox)

// The route handler behind a real HTTP server, as next dev serves it.
let server: http.Server
let url: string
beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const answer = await GET(new Request(`http://localhost${req.url}`, { headers: req.headers as Record<string, string> }))
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
    res.end(await answer.text())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/api/cron/sync-crm`
  // Connections left by earlier test files point at sandboxes that are gone: park them.
  await sql`update crm_connections set next_sync_at = now() + interval '1 day'`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const every200ms = (t: Date) => new Date(t.getTime() + 200)

/** The first `count` calls' lines (a tick that came while a call was still going only says it skipped). */
async function linesFrom(opts: { url?: string; secret: string }, count: number): Promise<string[]> {
  const lines: string[] = []
  const cron = startDevCron({ url: opts.url ?? url, secret: opts.secret, nextFire: every200ms, log: (l) => lines.push(l) })
  const calls = () => lines.filter((l) => !/: skipped, the last run is still going$/.test(l))
  try {
    await expect.poll(() => calls().length, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(count)
  } finally {
    cron.stop()
  }
  return calls()
}

const cronRuns = async (connection: string) =>
  (await sql`select count(*)::int as n from sync_runs where connection_id = ${connection} and trigger = 'cron'`)[0].n as number

describe("npm run dev's cron", () => {
  it('calls the cron route on its schedule with the secret: the due connection syncs, and each call prints one line', async () => {
    const connection = await sandboxConnection(sql, sandbox, await createTenant(sql))
    const lines = await linesFrom({ secret: TEST_CRON_SECRET }, 2)
    expect(lines[0]).toMatch(/^▸ Cron \d\d:\d\d UTC: synced 1 of 1 due connection \(1 success\)/)
    // Synced, the connection is not due again for an hour: the next tick finds nothing to do.
    expect(lines[1]).toMatch(/^▸ Cron \d\d:\d\d UTC: no connection due/)
    expect(await cronRuns(connection)).toBeGreaterThan(0)
    const [contacts] = await sql`select count(*)::int as n from crm_links where connection_id = ${connection} and object_type = 'contact'`
    expect(contacts.n).toBe(5)
  })

  it('with a secret the app does not hold, the route refuses it: one line says so, and nothing syncs', async () => {
    const connection = await sandboxConnection(sql, sandbox, await createTenant(sql))
    const [line] = await linesFrom({ secret: `${TEST_CRON_SECRET}-not` }, 1)
    expect(line).toMatch(/^✗ Cron \d\d:\d\d UTC: .* refused the secret \(401\): the app and npm run dev disagree on CRON_SECRET$/)
    expect(await cronRuns(connection)).toBe(0)
    await sql`update crm_connections set next_sync_at = now() + interval '1 day' where id = ${connection}`
  })

  it('with the app not answering, one line says where it could not reach, and it tries again at the next tick', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const lines = await linesFrom({ url: `http://127.0.0.1:${port}/api/cron/sync-crm`, secret: TEST_CRON_SECRET }, 2)
    for (const line of lines.slice(0, 2)) expect(line).toMatch(new RegExp(`^✗ Cron \\d\\d:\\d\\d UTC: could not reach http://127.0.0.1:${port}/api/cron/sync-crm \\(ECONNREFUSED\\)$`))
  })
})
