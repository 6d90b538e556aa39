import { describe, expect, it } from 'vitest'
import { conflictsForReview } from '../../lib/crm/conflicts-queue'
import { awaitingReconnect, connectionStatuses } from '../../lib/crm/status'
import { countOpenConflicts } from '../../lib/store/conflicts'
import { countMatchingLeads, liveLeadCounts, recentLeads, runHistory, syncProblems } from '../../lib/store/dashboard'
import { tenantFieldOptions } from '../../lib/store/field-options'
import { FOLD_COUNT_ROWS } from '../../lib/store/live-contact-counts'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// A page render and a status poll only read: the loaders app/page.tsx and GET
// /api/crm/status call run in a READ ONLY transaction, where any write fails. Before, the
// lead count folded a busy tenant's count rows (a delete and an insert) during the GET.
// (The page's dismissStaleConflicts, which closes conflicts that can no longer be decided,
// is a write it makes on purpose before loading, and is not among these.)

const sql = testSql()

describe("the dashboard's loaders", () => {
  it('run in a read-only transaction, a tenant with more count rows than a fold leaves included', async () => {
    const tenant = await createTenant(sql)
    const connection = await insertConnection(sql, tenant)
    // One statement each: a count row each.
    for (let i = 0; i <= FOLD_COUNT_ROWS; i++) await sql`insert into contacts (tenant_id, email) values (${tenant}, ${`r${i}@x.io`})`
    const loaded = await sql.begin('read only', async (tx) => Promise.all([
      connectionStatuses(tx, tenant),
      recentLeads(tx, tenant, { limit: 25 }), recentLeads(tx, tenant, { search: 'r1', limit: 25 }),
      liveLeadCounts(tx, tenant), countMatchingLeads(tx, tenant, 'r1'), countOpenConflicts(tx, tenant),
      tenantFieldOptions(tx, tenant, 'contact'),
      runHistory(tx, tenant, connection), syncProblems(tx, tenant, connection), conflictsForReview(tx, tenant, { limit: 10 }),
      awaitingReconnect(tx, tenant, []),
    ]))
    expect(loaded[0].map((c) => c.id)).toEqual([connection])
    expect(loaded[3]).toEqual({ leads: FOLD_COUNT_ROWS + 1, changes: FOLD_COUNT_ROWS + 1 })
  })
})
