import { expect, inject, it } from 'vitest'
import { editLead } from '../../lib/crm/edit-lead'
import { importLeads } from '../../lib/crm/import-leads'
import { connect } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'

// There is no unique index on a lead's email (a CRM may hold two contacts with one), so
// Add lead, an import and a lead's edit check it under one per-tenant lock, in the
// transaction that writes: requests at the same moment cannot both find it free.

const sql = testSql()

const leadsWith = async (tenant: string, email: string) =>
  (await sql`select count(*)::int as n from contacts where tenant_id = ${tenant} and lower(email) = ${email} and archived_at is null`)[0].n

it('simultaneous imports of one email make one lead, and the others report it as existing', async () => {
  // A pool as wide as the requests, so their checks really meet (as the route's requests do).
  const wide = connect(inject('databaseUrl'), { max: 8 })
  try {
    for (let round = 0; round < 5; round++) {
      const tenant = await createTenant(sql)
      const reports = await Promise.all(Array.from({ length: 8 }, () => importLeads(wide, tenant, [{ email: 'race@walk.test' }])))
      expect(await leadsWith(tenant, 'race@walk.test')).toBe(1)
      expect(reports.map((r) => r.imported).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 1])
      expect(reports.filter((r) => r.skippedExisting === 1)).toHaveLength(7)
    }
  } finally {
    await wide.end({ timeout: 5 })
  }
})

it("another tenant's import of the same email is neither held up nor refused", async () => {
  const [a, b] = [await createTenant(sql), await createTenant(sql)]
  await Promise.all([importLeads(sql, a, [{ email: 'shared@walk.test' }]), importLeads(sql, b, [{ email: 'shared@walk.test' }])])
  expect([await leadsWith(a, 'shared@walk.test'), await leadsWith(b, 'shared@walk.test')]).toEqual([1, 1])
})

it('edits and an import giving one email at the same moment leave one lead with it', async () => {
  const tenant = await createTenant(sql)
  const { ids } = await importLeads(sql, tenant, [{ email: 'one@walk.test' }, { email: 'two@walk.test' }, { email: 'three@walk.test' }])
  const results = await Promise.allSettled([
    ...ids.map((id) => editLead(sql, tenant, id, { email: 'taken@walk.test' })),
    importLeads(sql, tenant, [{ email: 'taken@walk.test' }]),
  ])
  expect(await leadsWith(tenant, 'taken@walk.test')).toBe(1)
  const edits = results.slice(0, 3)
  // Exactly one of the four wrote it; each edit that lost was refused as a conflict, not written.
  const imported = results[3].status === 'fulfilled' ? (results[3].value as { imported: number }).imported : 0
  expect(edits.filter((r) => r.status === 'fulfilled').length + imported).toBe(1)
  for (const r of edits) if (r.status === 'rejected') expect(String(r.reason)).toMatch(/already in the app/)
})
