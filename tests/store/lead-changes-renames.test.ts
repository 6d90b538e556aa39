import { describe, expect, it } from 'vitest'
import { liveLeadCounts, recentLeads } from '../../lib/store/dashboard'
import { followOwnerEmails, upsertOwners } from '../../lib/store/owners'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// The leads table shows two things kept outside contacts: the associated company's name and
// the owner's name. Renaming either changes the table, so it must move leadChanges, the
// poller's cue (migration 20261203130000), or an open dashboard keeps the old name until the
// next write of a lead. A write that changes nothing the table shows must not move it.

const sql = testSql()

async function workspace() {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  const [owner] = await sql`insert into owners (tenant_id, connection_id, remote_id, email, first_name, last_name, remote_updated_at)
                            values (${tenant}, ${connection}, '7', 'rep@x.io', 'Ada', 'Rep', now() - interval '1 day') returning id`
  const [company] = await sql`insert into companies (tenant_id, name) values (${tenant}, 'Acme') returning id`
  const [lead] = await sql`insert into contacts (tenant_id, email, company_id, owner_id)
                           values (${tenant}, 'lead@x.io', ${company.id}, ${owner.id}) returning id`
  return { tenant, connection, owner: owner.id as string, company: company.id as string, lead: lead.id as string }
}
type Workspace = Awaited<ReturnType<typeof workspace>>

const shown = async (w: Workspace) => {
  const [l] = await recentLeads(sql, w.tenant)
  return { company: l.companyName, owner: l.ownerName, ownerEmail: l.ownerEmail }
}

describe("leadChanges moves for what the leads table shows from companies and owners", () => {
  it.each([
    ["a company renamed", async (w: Workspace) => { await sql`update companies set name = 'Acme Robotics' where id = ${w.company}` }],
    ["a company's name cleared (the contact's own company text shows instead)", async (w: Workspace) => {
      await sql`update companies set name = null where id = ${w.company}`
    }],
    ["an owner's first name", async (w: Workspace) => { await sql`update owners set first_name = 'Grace' where id = ${w.owner}` }],
    ["an owner's last name", async (w: Workspace) => { await sql`update owners set last_name = 'Hopper' where id = ${w.owner}` }],
    ["an owner renamed in HubSpot, as the sync writes it", async (w: Workspace) => {
      await upsertOwners(sql, w.tenant, w.connection, [{ remoteId: '7', email: 'rep@x.io', firstName: 'Grace', lastName: 'Rep', userId: null, archived: false, updatedAt: new Date() }])
    }],
  ])('%s', async (_, write) => {
    const w = await workspace()
    const [before, seen] = [(await liveLeadCounts(sql, w.tenant)).changes, await shown(w)]
    await write(w)
    expect(await shown(w)).not.toEqual(seen)
    expect((await liveLeadCounts(sql, w.tenant)).changes).not.toEqual(before)
  })

  // Shown from the contact's own owner_email, which the sync follows (a contacts update, counted since 20261203110000).
  it("an owner's new email, as the sync writes it and follows it to the leads", async () => {
    const w = await workspace()
    const before = (await liveLeadCounts(sql, w.tenant)).changes
    const { emailChanged } = await upsertOwners(sql, w.tenant, w.connection, [
      { remoteId: '7', email: 'new-rep@x.io', firstName: 'Ada', lastName: 'Rep', userId: null, archived: false, updatedAt: new Date() }])
    await followOwnerEmails(sql, w.tenant, emailChanged)
    expect((await shown(w)).ownerEmail).toBe('new-rep@x.io')
    expect((await liveLeadCounts(sql, w.tenant)).changes).not.toEqual(before)
  })

  it("stays put for writes the table does not show: other columns, the same name, names no live lead shows, another workspace's", async () => {
    const [w, other] = [await workspace(), await workspace()]
    const [unused] = await sql`insert into companies (tenant_id, name) values (${w.tenant}, 'Unused') returning id`
    const [archivedOnly] = await sql`insert into companies (tenant_id, name) values (${w.tenant}, 'Gone Ltd') returning id`
    await sql`insert into contacts (tenant_id, email, company_id, archived_at) values (${w.tenant}, 'gone@x.io', ${archivedOnly.id}, now())`
    const [before, theirs] = [(await liveLeadCounts(sql, w.tenant)).changes, (await liveLeadCounts(sql, other.tenant)).changes]
    await sql`update companies set domain = 'acme.io', industry = 'Robots' where id = ${w.company}`
    await sql`update companies set name = 'Acme' where id = ${w.company}`
    await sql`update owners set user_id = '99', remote_updated_at = now() where id = ${w.owner}`
    await sql`update owners set first_name = 'Ada', last_name = 'Rep' where id = ${w.owner}`
    await sql`update companies set name = 'Still unused' where id = ${unused.id}`
    await sql`update companies set name = 'Gone for good' where id = ${archivedOnly.id}`
    await sql`update companies set name = 'Theirs' where id = ${other.company}`
    await sql`update owners set first_name = 'Theirs' where id = ${other.owner}`
    expect((await liveLeadCounts(sql, w.tenant)).changes).toEqual(before)
    expect((await liveLeadCounts(sql, other.tenant)).changes).not.toEqual(theirs)
  })

  it('one row a statement and tenant, however many it renames', async () => {
    const w = await workspace()
    for (let i = 0; i < 3; i++) {
      const [c] = await sql`insert into companies (tenant_id, name) values (${w.tenant}, ${`Co ${i}`}) returning id`
      await sql`insert into contacts (tenant_id, email, company_id) values (${w.tenant}, ${`l${i}@x.io`}, ${c.id})`
    }
    const rows = async () => (await sql`select count(*)::int as n from private.live_contact_counts where tenant_id = ${w.tenant}`)[0].n
    const before = await rows()
    await sql`update companies set name = name || ' renamed' where tenant_id = ${w.tenant}`
    expect(await rows()).toBe(before + 1)
  })
})
