import { beforeAll, describe, expect, it } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as nangoConnected } from '../../app/api/crm/nango/connected/route'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { useNangoStandIn } from '../helpers/nango-standin'
import { testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

// The browser reports the connection Connect UI made; the server reads it back from Nango
// (GET /connections/<id>) with its secret key. A stand-in Nango records what it is asked
// and answers `answer`.

const sql = testSql()
const sandbox = await testSandbox()
useAppEnv(sandbox)

const nango = useNangoStandIn()
beforeAll(() => resetLocalWorkspace(sql))

const report = (connectionId: string, providerConfigKey = 'hubspot') => nangoConnected(jsonRequest('/api/crm/nango/connected', { connectionId, providerConfigKey }))

describe('POST /api/crm/nango/connected with an id that would leave /connections/<id>', () => {
  // Before, each of these was asked of Nango, with the secret key: "../providers" as GET /providers.
  type Case = [name: string, connectionId: string, providerConfigKey: string, field: string]
  const cases: Case[] = [
    ['a path up and over', '../providers', 'hubspot', 'connectionId'],
    ['a lone ..', '..', 'hubspot', 'connectionId'],
    ['a slash', 'abc/def', 'hubspot', 'connectionId'],
    ['a query', 'abc?provider_config_key=other', 'hubspot', 'connectionId'],
    ['a fragment', 'abc#x', 'hubspot', 'connectionId'],
    ['an escaped slash', 'abc%2F..%2Fproviders', 'hubspot', 'connectionId'],
    ['a backslash', 'abc\\..\\providers', 'hubspot', 'connectionId'],
    ['a provider config key with a path', 'abc', '../providers', 'providerConfigKey'],
  ]
  it.each(cases)('%s is a 400 naming the field, and Nango is not asked', async (_name, connectionId, providerConfigKey, field) => {
    const before = await snapshot(sql)
    const res = await report(connectionId, providerConfigKey)
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toMatch(new RegExp(`^${field}: must not (contain|be)`))
    expect(nango.asked).toEqual([])
    expect(await snapshot(sql)).toEqual(before)
  })
})

describe('POST /api/crm/nango/connected, asked of Nango', () => {
  type Case = [name: string, nangoAnswers: { status: number; body: unknown }, status: number, message: RegExp]
  const cases: Case[] = [
    ['a connection Nango does not know', { status: 404, body: { error: 'not found' } }, 404, /^Nango does not know this connection$/],
    ["an answer that is not a connection's details (was a 400 naming connection_id, a field the caller never sent)", { status: 200, body: { unexpected: true } }, 502,
      /^Nango answered with connection details Syncline cannot read; it has been logged$/],
  ]
  it.each(cases)('%s', async (_name, nangoAnswers, status, message) => {
    nango.answer = nangoAnswers
    const before = await snapshot(sql)
    const res = await report('conn_123-abc.def@example')
    expect(nango.asked.map((u) => u.split('?')[0])).toEqual(['/connections/conn_123-abc.def@example'])
    expect(res.status).toBe(status)
    expect((await res.json()).error.message).toMatch(message)
    expect(await snapshot(sql)).toEqual(before)
  })
})

describe('POST /api/crm/nango/connected, a connection of this workspace', () => {
  it("is saved with the portal HubSpot answers for its token, not the portalId Nango's connection_config names", async () => {
    // connection_config names a portal the token does not read (another workspace's, say): the
    // webhook deliveries of the portal saved are stored for this workspace.
    nango.answer = { status: 200, body: {
      connection_id: 'conn-portal-check', provider_config_key: 'hubspot', tags: { organization_id: LOCAL_TENANT_ID },
      connection_config: { portalId: 987654321 }, credentials: { type: 'OAUTH2', access_token: sandbox.token },
    } }
    const res = await report('conn-portal-check')
    expect(res.status, await res.clone().text()).toBe(201)
    await backgroundSettled()
    expect(await sql`select portal_id, auth_method from crm_connections where nango_connection_id = 'conn-portal-check'`)
      .toEqual([{ portal_id: String(sandbox.portalId), auth_method: 'nango' }])
    await resetLocalWorkspace(sql)
  })
})
