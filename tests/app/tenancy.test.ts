import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { GET as statusRoute } from '../../app/api/crm/status/route'
import { resetEnvCache } from '../../lib/env'
import { tenantIdForUser, workspaceOfUser } from '../../lib/store/tenants'
import { currentTenantId, LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { testSandbox } from '../helpers/sandbox'
import { useAppEnv } from './helpers'

// Supabase Auth itself cannot be reached from here (no Supabase project in tests); what
// is tested is the part that is ours: the embedded default and the user → workspace mapping.
const sql = testSql()
useAppEnv(await testSandbox())

describe('tenancy', () => {
  it('without Supabase Auth configured, every request acts for the one local workspace', async () => {
    expect(await currentTenantId()).toBe(LOCAL_TENANT_ID)
  })

  it('a first sign-in gets its own workspace as owner; later sign-ins find it', async () => {
    const user = randomUUID()
    expect(await tenantIdForUser(sql, user)).toBeUndefined()
    const tenant = await workspaceOfUser(sql, user, 'ada@example.com')
    expect(await tenantIdForUser(sql, user)).toBe(tenant)
    const [m] = await sql`select role from tenant_members where user_id = ${user}`
    expect(m.role).toBe('owner')
    expect(await workspaceOfUser(sql, user, 'ada@example.com')).toBe(tenant)
  })

  it("a first sign-in's requests arriving together make one workspace between them, not one each", async () => {
    const user = randomUUID()
    const email = `grace.${user}@example.com`
    const tenants = await Promise.all(Array.from({ length: 6 }, () => workspaceOfUser(sql, user, email)))
    expect(new Set(tenants).size).toBe(1)
    const members = await sql`select tenant_id from tenant_members where user_id = ${user}`
    expect(members.map((m) => m.tenant_id)).toEqual([tenants[0]])
    // No empty workspace left over either.
    expect(await sql`select id from tenants where name = ${email}`).toHaveLength(1)
  })
})

describe('tenancy in production without sign-in configured', () => {
  it('refuses every request (503, saying what to set) instead of handing out the local workspace', async () => {
    const saved = { ...process.env }
    try {
      // The embedded database in production (a `next start` on a server): no startup check covers it.
      Object.assign(process.env, { NODE_ENV: 'production' })
      delete process.env.DATABASE_URL
      resetEnvCache()
      await expect(currentTenantId()).rejects.toMatchObject({ status: 503, code: 'sign_in_not_configured' })
      const res = await statusRoute()
      expect(res.status).toBe(503)
      expect((await res.json()).error.message).toMatch(/SYNCLINE_SINGLE_TENANT=true/)
      process.env.SYNCLINE_SINGLE_TENANT = 'true'
      resetEnvCache()
      expect(await currentTenantId()).toBe(LOCAL_TENANT_ID)
    } finally {
      process.env = saved
      resetEnvCache()
    }
  })
})
