import { describe, expect, it } from 'vitest'
import { awaitingReconnect, connectionStatuses } from '../../lib/crm/status'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// What the dashboard shows where it said "No CRM connected yet" once the workspace's only
// connections were disconnected (components/DisconnectedState.tsx): their portals, once each,
// the last disconnected first, and that one's direction for the lead form's note.

const sql = testSql()
const disconnect = (id: string) => sql`update crm_connections set status = 'disconnected' where id = ${id}`

describe('awaitingReconnect', () => {
  it('names the disconnected portals once each, the last disconnected first, and only while none is in use', async () => {
    const tenant = await createTenant(sql)
    const other = await createTenant(sql)
    await disconnect(await insertConnection(sql, other, '99999'))
    expect(await awaitingReconnect(sql, tenant, [])).toBeNull()

    const first = await insertConnection(sql, tenant, '62515')
    const second = await insertConnection(sql, tenant, '70001')
    const again = await insertConnection(sql, tenant, '62515')
    await sql`update crm_connections set settings = ${sql.json({ direction: 'pull' })} where id = ${again}`
    await disconnect(first)
    await disconnect(second)
    // One still in use: the dashboard shows its card, not the disconnected state.
    expect(await awaitingReconnect(sql, tenant, await connectionStatuses(sql, tenant))).toBeNull()

    await disconnect(again)
    expect(await connectionStatuses(sql, tenant)).toEqual([])
    expect(await awaitingReconnect(sql, tenant, [])).toEqual({ direction: 'pull', portals: ['62515', '70001'] })
  })
})
