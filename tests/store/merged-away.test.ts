import { expect, it } from 'vitest'
import { mergedAwayIds, rememberMergedAway } from '../../lib/store/merges'
import { createTenant, testSql } from '../helpers/db'
import { insertConnection } from '../helpers/fixtures'

// A survivor lists the ids merged into it every time it is read; remembering them again
// leaves the row as it was: its survivor is the record that absorbed it first.

const sql = testSql()

it('a merged-away id read again, from its survivor or a later one, keeps the survivor that absorbed it', async () => {
  const tenant = await createTenant(sql)
  const connection = await insertConnection(sql, tenant)
  await rememberMergedAway(sql, tenant, connection, 'contact', [{ from: '101', to: '200' }])
  const [before] = await sql`select xmin::text as version from crm_merged_away where connection_id = ${connection} and remote_id = '101'`

  await rememberMergedAway(sql, tenant, connection, 'contact', [{ from: '101', to: '200' }])
  // The survivor was then merged into 300, which lists both ids.
  await rememberMergedAway(sql, tenant, connection, 'contact', [{ from: '101', to: '300' }, { from: '200', to: '300' }])

  const rows = await sql`select remote_id, survivor_remote_id, xmin::text as version from crm_merged_away
                          where connection_id = ${connection} order by remote_id`
  expect(rows.map((r) => [r.remote_id, r.survivor_remote_id])).toEqual([['101', '200'], ['200', '300']])
  expect(rows[0].version).toBe(before.version) // not rewritten
  expect(await mergedAwayIds(sql, connection, 'contact')).toEqual(new Set(['101', '200']))
})
