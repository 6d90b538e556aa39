import { beforeAll, describe, expect, it } from 'vitest'
import { backgroundSettled } from '../../app/api/_shared/background'
import { POST as resolve } from '../../app/api/crm/conflicts/[id]/resolve/route'
import { runSync } from '../../lib/crm/sync-service'
import type { ObjectType } from '../../lib/crm/types'
import { upsertConflicts } from '../../lib/store/conflicts'
import { loadLocalRecords } from '../../lib/store/records'
import { LOCAL_TENANT_ID } from '../../lib/tenant'
import { testSql } from '../helpers/db'
import { sandboxConnection, testSandbox } from '../helpers/sandbox'
import { jsonRequest, resetLocalWorkspace, snapshot, useAppEnv } from './helpers'

// A value a person types for a conflicting field (`{ value }`, not 'local' or 'remote') goes
// into the app's row and then to HubSpot: one the field cannot hold is refused with a 400
// naming the field, and the conflict stays open with nothing written. Before, the value was
// written as typed: an amount or a date that did not parse was a 500, an email that is none
// was stored and pushed.

const sql = testSql()
const sandbox = await testSandbox({ contacts: 3, companies: 1, deals: 1, owners: 1, seed: 61 })
useAppEnv(sandbox)

const TABLE: Record<ObjectType, string> = { contact: 'contacts', company: 'companies', deal: 'deals' }
let connection: string
beforeAll(async () => {
  await resetLocalWorkspace(sql)
  connection = await sandboxConnection(sql, sandbox, LOCAL_TENANT_ID, { direction: 'pull' })
  await runSync(sql, { connectionId: connection, trigger: 'manual' })
})

/** An open conflict on `field` of one synced record of `type`: the app's current value against another from HubSpot. */
async function conflictOn(type: ObjectType, field: string): Promise<{ id: number; localId: string }> {
  await sql`update sync_conflicts set status = 'dismissed' where connection_id = ${connection} and status = 'open'`
  const [r] = await sql`select t.id, l.remote_id from ${sql(TABLE[type])} t join crm_links l on l.local_id = t.id
                         where l.connection_id = ${connection} and l.object_type = ${type} order by t.id limit 1`
  const current = (await loadLocalRecords(sql, LOCAL_TENANT_ID, connection, type, [r.id])).get(r.id)!
  await upsertConflicts(sql, LOCAL_TENANT_ID, connection, type, [{
    localId: r.id, remoteId: r.remote_id, fields: [field], local: { [field]: current.fields[field] ?? null }, remote: { [field]: 'from HubSpot' },
  }])
  const [k] = await sql`select id from sync_conflicts where local_id = ${r.id} and status = 'open'`
  return { id: Number(k.id), localId: r.id }
}

const decide = (id: number, choices: unknown) =>
  resolve(jsonRequest(`/api/crm/conflicts/${id}/resolve`, { choices }), { params: Promise.resolve({ id: String(id) }) })

const rowOf = async (type: ObjectType, id: string) => (await sql`select * from ${sql(TABLE[type])} where id = ${id}`)[0]

type Refused = [name: string, type: ObjectType, field: string, choice: unknown, message: RegExp]
const refused: Refused[] = [
  ['an amount that is not a number (was a 500)', 'deal', 'amount', { value: 'abc' }, /^choices\.amount: "abc" is not a number$/],
  ['an amount too large for a number', 'deal', 'amount', { value: '1e400' }, /^choices\.amount: "1e400" is not a number$/],
  ['a close date that is not a date (was a 500)', 'deal', 'closeDate', { value: 'soon' }, /^choices\.closeDate: "soon" is not a date/],
  ['a last activity that is not a date (was a 500)', 'contact', 'lastActivityAt', { value: 'yesterday-ish' }, /^choices\.lastActivityAt: "yesterday-ish" is not a date/],
  ['a phone that is not one (was a 500)', 'contact', 'phone', { value: 'abc' }, /^choices\.phone: "abc" is not a phone number$/],
  ['a lone surrogate (was a 500)', 'contact', 'jobTitle', { value: 'a\udc00b' }, /^choices\.jobTitle: must not contain a lone surrogate/],
  ['an email that is none (was stored and pushed)', 'contact', 'email', { value: 'not-an-email' }, /^choices\.email: "not-an-email" is not an email address$/],
  ['an email HubSpot refuses (non-ASCII before the @)', 'contact', 'email', { value: 'Zoë@example.com' }, /^choices\.email: "Zoë@example.com" has "ë" before the @/],
  ['a domain that is none', 'company', 'domain', { value: 'not a domain !!' }, /^choices\.domain: "not a domain !!" is not a domain name$/],
  ['a NUL character (was dropped without a word)', 'contact', 'jobTitle', { value: 'a\u0000b' }, /^choices\.jobTitle: must not contain a NUL character/],
  ["a job title longer than the lead form's", 'contact', 'jobTitle', { value: 'x'.repeat(201) }, /^choices\.jobTitle: at most 200 characters$/],
  ["a lifecycle stage none of the portal's options", 'contact', 'lifecycleStage', { value: 'banana' }, /^choices\.lifecycleStage: lifecycle stage "banana" is not one of this HubSpot portal's options/],
  ['an owner HubSpot does not have (was stored as no owner, and pushed)', 'contact', 'ownerRemoteId', { value: '99999999' }, /^choices\.ownerRemoteId: no owner "99999999" in this HubSpot portal/],
  ['a value of the wrong type', 'contact', 'jobTitle', { value: 5 }, /^choices\.jobTitle: a choice is 'local', 'remote' or \{ "value": text or null \}$/],
  ['a choice that is neither side nor a value', 'contact', 'jobTitle', 'both', /^choices\.jobTitle: a choice is 'local', 'remote'/],
]

describe('a typed value for a conflicting field', () => {
  it.each(refused)('%s is a 400 naming the field; the conflict stays open and nothing is written', async (_name, type, field, choice, message) => {
    const conflict = await conflictOn(type, field)
    const [row, before] = [await rowOf(type, conflict.localId), await snapshot(sql)]
    const res = await decide(conflict.id, { [field]: choice })
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toMatch(message)
    expect(await rowOf(type, conflict.localId)).toEqual(row)
    expect(await snapshot(sql)).toEqual(before)
    const [k] = await sql`select status from sync_conflicts where id = ${conflict.id}`
    expect(k.status).toBe('open')
  })

  type Taken = [name: string, type: ObjectType, field: string, value: string | null, column: string, stored: unknown]
  const taken: Taken[] = [
    ['an amount, in canonical form', 'deal', 'amount', ' 001200.50 ', 'amount', '1200.5'],
    ['an email, in canonical form', 'contact', 'email', ' Ada@Example.COM ', 'email', 'ada@example.com'],
    ['a lifecycle stage typed as its label, as its value', 'contact', 'lifecycleStage', 'sales qualified lead', 'lifecycle_stage', 'salesqualifiedlead'],
    ['a blank job title, as a cleared one', 'contact', 'jobTitle', '   ', 'job_title', null],
  ]
  it("an owner the portal has, by HubSpot id, is written as that owner", async () => {
    const [owner] = await sql`select id, remote_id from owners where connection_id = ${connection} limit 1`
    // conflictOn takes the first synced contact: without an owner, the choice is a change.
    await sql`update contacts set owner_id = null, owner_email = null where id = (select local_id from crm_links
              where connection_id = ${connection} and object_type = 'contact' order by local_id limit 1)`
    const conflict = await conflictOn('contact', 'ownerRemoteId')
    const res = await decide(conflict.id, { ownerRemoteId: { value: owner.remote_id } })
    expect(res.status).toBe(200)
    await backgroundSettled()
    expect((await rowOf('contact', conflict.localId)).owner_id).toBe(owner.id)
  })
  it.each(taken)('%s is written', async (_name, type, field, value, column, stored) => {
    const conflict = await conflictOn(type, field)
    const res = await decide(conflict.id, { [field]: { value } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'resolved' })
    await backgroundSettled()
    expect((await rowOf(type, conflict.localId))[column]).toEqual(stored)
  })
})
