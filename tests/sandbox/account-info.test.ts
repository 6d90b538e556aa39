import { Client } from '@hubspot/api-client'
import { afterAll, expect, it } from 'vitest'
import { startHubSpotSandbox } from '../../sandbox/hubspot/index'

const sandbox = await startHubSpotSandbox({ port: 0, portalId: 4242 })
afterAll(() => sandbox.close())

it('account info names the portal a token belongs to, and refuses an unknown token', async () => {
  const ok = await new Client({ accessToken: sandbox.token, basePath: sandbox.url }).apiRequest({ path: '/account-info/v3/details' })
  expect(await ok.json()).toMatchObject({ portalId: 4242, uiDomain: 'app.hubspot.com' })
  const refused = await new Client({ accessToken: 'nope', basePath: sandbox.url }).apiRequest({ path: '/account-info/v3/details' })
  expect(refused.status).toBe(401)
  expect(await refused.json()).toMatchObject({ category: 'INVALID_AUTHENTICATION' })
})
