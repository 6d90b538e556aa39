import { randomUUID } from 'node:crypto'
import { sealCredentials } from '../lib/crm/auth/credentials'
import type { ConnectionSettingsInput } from '../lib/crm/settings'
import { createConnection } from '../lib/store/connections'
import type { Sql } from '../lib/store/db'

export const SANDBOX_TOKEN = 'sandbox-token'

/** A fresh tenant with one contacts-only connection to the sandbox. */
export async function benchConnection(sql: Sql, baseUrl: string, settings: ConnectionSettingsInput): Promise<{ tenantId: string; connectionId: string }> {
  const tenantId = randomUUID()
  await sql`insert into tenants (id, name) values (${tenantId}, 'bench')`
  const c = await createConnection(sql, {
    tenantId, authMethod: 'private_app', portalId: '62515', apiBaseUrl: baseUrl,
    credentialsEncrypted: sealCredentials({ type: 'private_app', accessToken: SANDBOX_TOKEN }),
    settings: { direction: 'pull', entities: { company: false, deal: false }, lookbackMs: 0, ...settings },
  })
  return { tenantId, connectionId: c.id }
}

const json = (method: string, body?: unknown) =>
  ({ method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })

/**
 * Moves `count` contacts (the last ones listed) to another company by their associations
 * alone, as a rep would in HubSpot: neither record's last-modified time moves.
 */
export async function moveContactsToAnotherCompany(sandboxUrl: string, total: number, count: number): Promise<void> {
  const page = await (await fetch(`${sandboxUrl}/_sandbox/records/contacts?limit=${count}&offset=${Math.max(0, total - count)}`)).json() as { results: { id: string }[] }
  // The bench's portal has no companies: two are made (a contact that has one moves to the other).
  const companies: string[] = []
  for (const name of ['Moved To Inc.', 'Moved Again Ltd.']) {
    companies.push((await (await fetch(`${sandboxUrl}/_sandbox/rep/companies`, json('POST', { properties: { name } }))).json() as { id: string }).id)
  }
  for (const { id } of page.results) {
    const rec = await (await fetch(`${sandboxUrl}/_sandbox/records/contacts/${id}`)).json() as { associations?: { companies?: { results: { id: string }[] } } }
    const current = new Set((rec.associations?.companies?.results ?? []).map((c) => c.id))
    for (const c of current) await fetch(`${sandboxUrl}/_sandbox/rep/associations/contacts/${id}/companies/${c}`, json('DELETE'))
    const to = companies.find((c) => !current.has(c))!
    await fetch(`${sandboxUrl}/_sandbox/rep/associations/contacts/${id}/companies/${to}`, json('PUT'))
  }
}

/** Makes the connection's daily association check due now (its last one a day and an hour ago). */
export async function expireAssociationCheck(sql: Sql, connectionId: string): Promise<void> {
  await sql`update sync_cursors set associations_checked_at = now() - interval '25 hours' where connection_id = ${connectionId}`
}

/** Contacts of a tenant whose crm_properties hold every one of `names` (the extra properties arrived). */
export async function contactsWithExtraValues(sql: Sql, tenantId: string, names: string[]): Promise<number> {
  const [row] = await sql`select count(*)::int as n from contacts where tenant_id = ${tenantId} and crm_properties ?& ${names}::text[]`
  return row.n
}
