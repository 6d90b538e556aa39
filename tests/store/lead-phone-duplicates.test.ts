import { expect, inject, it } from 'vitest'
import { editLead } from '../../lib/crm/edit-lead'
import { importLeads } from '../../lib/crm/import-leads'
import { connect } from '../../lib/store/db'
import { createTenant, testSql } from '../helpers/db'

// The identity rule (link > email > phone, lib/crm/identity.ts) for the app's own leads: a
// lead whose phone, read as the import reads it (E.164, the workspace's country), is another
// live lead's is that lead, unless the two have different emails (people with their own
// emails may share an office phone), as the pull decides.

const sql = testSql()

const leadsWith = async (tenant: string, phone: string) =>
  (await sql`select count(*)::int as n from contacts where tenant_id = ${tenant} and phone = ${phone} and archived_at is null`)[0].n

it('an import of a phone the app has, written another way, is skipped as already in the app, naming the lead', async () => {
  const tenant = await createTenant(sql)
  const first = await importLeads(sql, tenant, [{ phone: '+1 212 555 0199', firstName: 'Grace', lastName: 'Hopper' }])
  expect(first).toMatchObject({ imported: 1, skippedExisting: 0, skipped: [] })
  const again = await importLeads(sql, tenant, [{ phone: '(212) 555-0199' }])
  expect(again).toEqual({
    imported: 0, skippedExisting: 1, skippedDuplicates: 0, ids: [],
    skipped: [{ index: 0, reason: 'existing', field: 'phone', leadId: first.ids[0], message: 'contact 0: a lead with this phone is already in the app: Grace Hopper' }],
  })
  expect(await leadsWith(tenant, '+12125550199')).toBe(1)
})

it('a shared phone is one person unless both leads have emails and they differ', async () => {
  const tenant = await createTenant(sql)
  await importLeads(sql, tenant, [{ email: 'desk@walk.test', phone: '+12125550100' }])
  const report = await importLeads(sql, tenant, [
    { email: 'other@walk.test', phone: '(212) 555-0100' }, // another person at the same office phone
    { phone: '212 555 0100', firstName: 'No email' }, // no email to tell them apart: the same person
    { email: 'DESK@walk.test', phone: '+12125550111' }, // the email decides
  ])
  expect(report).toMatchObject({ imported: 1, skippedExisting: 2 })
  expect(report.skipped.map((s) => [s.index, s.field])).toEqual([[1, 'phone'], [2, 'email']])
  expect(await leadsWith(tenant, '+12125550100')).toBe(2)
})

it('the same phone twice in one import makes one lead', async () => {
  const tenant = await createTenant(sql)
  const report = await importLeads(sql, tenant, [{ phone: '+1 212 555 0122' }, { phone: '(212) 555-0122', firstName: 'Again' }])
  expect(report).toMatchObject({ imported: 1, skippedExisting: 0, skippedDuplicates: 1, skipped: [{ index: 1, reason: 'duplicate', field: 'phone', duplicateOf: 0 }] })
  expect(await leadsWith(tenant, '+12125550122')).toBe(1)
})

it("an edit giving another live lead's phone is refused (409) naming that lead, and writes nothing; an archived lead's is fine", async () => {
  const tenant = await createTenant(sql)
  const { ids: [ada, bob] } = await importLeads(sql, tenant, [{ phone: '+12125550133', firstName: 'Ada' }, { email: 'bob@walk.test', firstName: 'Bob' }])
  const refused = editLead(sql, tenant, bob, { phone: '(212) 555-0133', jobTitle: 'Not written' })
  await expect(refused).rejects.toMatchObject({ type: 'conflict', status: 409, message: 'A lead with this phone is already in the app: Ada' })
  expect((await sql`select phone, job_title from contacts where id = ${bob}`)[0]).toEqual({ phone: null, job_title: null })
  // Another person with their own email may share it.
  await editLead(sql, tenant, ada, { email: 'ada@walk.test' })
  await editLead(sql, tenant, bob, { phone: '(212) 555-0133' })
  expect(await leadsWith(tenant, '+12125550133')).toBe(2)
  // Edits that do not give the phone are not refused for it.
  await editLead(sql, tenant, bob, { jobTitle: 'Written' })
  // An archived lead's phone is free: with Bob given another, Carl (no email) may take it.
  await editLead(sql, tenant, bob, { phone: '+12125550166' })
  await sql`update contacts set archived_at = now() where id = ${ada}`
  const { ids: [carl] } = await importLeads(sql, tenant, [{ phone: '+12125550144' }])
  await editLead(sql, tenant, carl, { phone: '+12125550133' })
  expect(await leadsWith(tenant, '+12125550133')).toBe(1)
})

it('simultaneous imports of one phone make one lead', async () => {
  const wide = connect(inject('databaseUrl'), { max: 6 })
  try {
    for (let round = 0; round < 3; round++) {
      const tenant = await createTenant(sql)
      const reports = await Promise.all(['+1 212 555 0155', '(212) 555-0155', '212.555.0155', '+12125550155', '2125550155', '+1 (212) 555-0155']
        .map((phone) => importLeads(wide, tenant, [{ phone }])))
      expect(await leadsWith(tenant, '+12125550155')).toBe(1)
      expect(reports.map((r) => r.imported).sort()).toEqual([0, 0, 0, 0, 0, 1])
    }
  } finally {
    await wide.end({ timeout: 5 })
  }
})
