import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { runSync } from '../../lib/crm/sync-service'
import { createConnection } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'
import { useNangoStandIn } from '../helpers/nango-standin'
import { testSandbox } from '../helpers/sandbox'
import { useAppEnv } from './helpers'

// A sync of a Nango connection asks Nango for the HubSpot token (getToken). When Nango cannot
// give one until the user connects again, the run fails as auth_expired and the connection is
// marked as needing reauth, as when HubSpot itself refuses a refresh; before, the run failed
// with Nango's message and the card kept offering Refresh until Nango's webhook came (if it came).
// A stand-in Nango answers every request with `answer` and records what it is asked.

const sql = testSql()
useAppEnv(await testSandbox())

const nango = useNangoStandIn()

async function nangoConnection(): Promise<string> {
  const tenantId = await createTenant(sql)
  const c = await createConnection(sql, { tenantId, authMethod: 'nango', nangoConnectionId: `conn-${randomUUID()}`, nangoProviderConfigKey: 'hubspot', portalId: '123' })
  return c.id
}

const statusOf = async (id: string) => (await sql<{ status: string }[]>`select status from crm_connections where id = ${id}`)[0].status

describe('a sync of a Nango connection whose token Nango cannot give', () => {
  type Case = [name: string, nangoAnswers: { status: number; body: unknown }, runError: RegExp, connectionStatus: string]
  const cases: Case[] = [
    ['refresh exhausted (424 invalid_credentials): auth_expired, reconnect asked', { status: 424, body: { error: { code: 'invalid_credentials', message: 'The refresh token is invalid' } } },
      /^\[auth_expired\] Nango cannot refresh the HubSpot token; reconnect the CRM/, 'needs_reauth'],
    ['the connection gone from Nango (404): auth_expired, reconnect asked', { status: 404, body: { error: { code: 'unknown_connection', message: 'not found' } } },
      /^\[auth_expired\] /, 'needs_reauth'],
    ['Nango down (503): the run fails, the connection stays active', { status: 503, body: { error: { code: 'server_error' } } },
      /^\[(?!auth_expired)/, 'active'],
  ]
  it.each(cases)('%s', async (_name, nangoAnswers, runError, connectionStatus) => {
    nango.answer = nangoAnswers
    const id = await nangoConnection()
    const summary = await runSync(sql, { connectionId: id, trigger: 'cli' })
    expect(nango.asked.length).toBeGreaterThan(0)
    expect(summary.status).toBe('failed')
    const errors = Object.values(summary.objects).map((o) => o?.error).filter(Boolean)
    expect(errors.length).toBeGreaterThan(0)
    for (const e of errors) expect(e).toMatch(runError)
    expect(await statusOf(id)).toBe(connectionStatus)
  })
})
