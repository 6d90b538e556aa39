import { randomUUID } from 'node:crypto'
import { afterAll, inject } from 'vitest'
import { connect, type Sql } from '../../lib/store/db'

/** A pool on this run's test database, closed after the file. */
export function testSql(): Sql {
  const sql = connect(inject('databaseUrl'), { max: 4 })
  afterAll(() => sql.end({ timeout: 5 }))
  return sql
}

/** A fresh tenant, so tests in one database never see each other's rows. */
export async function createTenant(sql: Sql, name = 'Test tenant'): Promise<string> {
  const id = randomUUID()
  await sql`insert into tenants (id, name) values (${id}, ${name})`
  return id
}
