import { createHmac, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { POST as nangoWebhook } from '../../app/api/webhooks/nango/route'
import { createConnection, setConnectionStatus } from '../../lib/store/connections'
import { createTenant, testSql } from '../helpers/db'
import { useNangoStandIn } from '../helpers/nango-standin'
import { testSandbox } from '../helpers/sandbox'
import { APP_URL, TEST_NANGO_WEBHOOK_SECRET, useAppEnv } from './helpers'

// Nango's refresh-failure webhook carries no timestamp: a signed delivery replayed after the
// user reconnected must not mark the repaired connection. The handler asks Nango (GET
// /connections/<id>) before marking; a stand-in Nango records what it is asked and answers `answer`.

const sql = testSql()
useAppEnv(await testSandbox())

const nango = useNangoStandIn()

/** A Nango connection of a fresh workspace, active. */
async function nangoConnection(): Promise<{ id: string; tenantId: string; nangoId: string }> {
  const tenantId = await createTenant(sql)
  const nangoId = `conn-${randomUUID()}`
  const c = await createConnection(sql, { tenantId, authMethod: 'nango', nangoConnectionId: nangoId, nangoProviderConfigKey: 'hubspot', portalId: '123' })
  return { id: c.id, tenantId, nangoId }
}

/** The delivery Nango signs when a refresh fails: no timestamp, no id, the same bytes every time. */
function refreshFailed(tenantId: string, nangoId: string): Request {
  const raw = JSON.stringify({ from: 'nango', type: 'auth', connectionId: nangoId, providerConfigKey: 'hubspot', authMode: 'OAUTH2', provider: 'hubspot',
    environment: 'prod', operation: 'refresh', success: false, tags: { organization_id: tenantId },
    error: { type: 'refresh_token_external_error', description: 'invalid_grant: refresh token revoked' } })
  const sig = createHmac('sha256', TEST_NANGO_WEBHOOK_SECRET).update(raw).digest('hex')
  return new Request(`${APP_URL}/api/webhooks/nango`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'x-nango-hmac-sha256': sig } })
}

const statusOf = async (id: string) => (await sql<{ status: string; status_reason: string | null }[]>`select status, status_reason from crm_connections where id = ${id}`)[0]

/** GET /connections/<id> as Nango answers it for a connection it refreshes fine. */
const healthy = (nangoId: string) => ({ status: 200, body: { id: 1, connection_id: nangoId, provider_config_key: 'hubspot', provider: 'hubspot', errors: [],
  end_user: null, tags: {}, metadata: null, connection_config: {}, credentials: { type: 'OAUTH2', access_token: 'at', expires_at: new Date(Date.now() + 1_800_000).toISOString() } } })
/** As Nango answers when its refresh is exhausted. */
const refreshExhausted = { status: 424, body: { error: { code: 'invalid_credentials', message: 'The refresh token is invalid' } } }

describe('POST /api/webhooks/nango: a failed refresh, confirmed with Nango', () => {
  it('a genuine failure (Nango cannot refresh it either) marks the connection as needing reauth', async () => {
    const c = await nangoConnection()
    nango.answer = refreshExhausted
    const res = await nangoWebhook(refreshFailed(c.tenantId, c.nangoId))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ outcome: 'needs_reauth' })
    expect(nango.asked.map((u) => u.split('?')[0])).toEqual([`/connections/${c.nangoId}`])
    expect(await statusOf(c.id)).toEqual({ status: 'needs_reauth', status_reason: 'invalid_grant: refresh token revoked' })
  })

  it('a failure Nango still records on the connection (an auth error) marks it too', async () => {
    const c = await nangoConnection()
    nango.answer = { status: 200, body: { ...healthy(c.nangoId).body, errors: [{ type: 'auth', log_id: 'log1' }] } }
    expect(await (await nangoWebhook(refreshFailed(c.tenantId, c.nangoId))).json()).toEqual({ outcome: 'needs_reauth' })
    expect((await statusOf(c.id)).status).toBe('needs_reauth')
  })

  it('the same signed delivery replayed after the connection was repaired changes nothing', async () => {
    const c = await nangoConnection()
    const captured = refreshFailed(c.tenantId, c.nangoId)
    // The user reconnected: the connection is active again, and Nango refreshes it fine.
    nango.answer = healthy(c.nangoId)
    const res = await nangoWebhook(captured)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ outcome: 'stale' })
    expect(await statusOf(c.id)).toEqual({ status: 'active', status_reason: null })
  })

  it('a replay after a reauth that cleared needs_reauth leaves it cleared', async () => {
    const c = await nangoConnection()
    nango.answer = refreshExhausted
    await nangoWebhook(refreshFailed(c.tenantId, c.nangoId))
    await setConnectionStatus(sql, c.id, 'active', null)
    nango.answer = healthy(c.nangoId)
    expect(await (await nangoWebhook(refreshFailed(c.tenantId, c.nangoId))).json()).toEqual({ outcome: 'stale' })
    expect(await statusOf(c.id)).toEqual({ status: 'active', status_reason: null })
  })

  it('when Nango cannot be asked (5xx): 503 so Nango delivers it again, and the connection is not marked', async () => {
    const c = await nangoConnection()
    nango.answer = { status: 500, body: { error: { code: 'server_error' } } }
    const res = await nangoWebhook(refreshFailed(c.tenantId, c.nangoId))
    expect(res.status).toBe(503)
    expect((await res.json()).error.code).toBe('nango_unconfirmed')
    expect(await statusOf(c.id)).toEqual({ status: 'active', status_reason: null })
  })
})
