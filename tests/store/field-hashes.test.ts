import { describe, expect, it } from 'vitest'
import { decodeFieldHashes, encodeFieldHashes, loadLinksByLocal, mergeFieldHashes } from '../../lib/store/links'
import { listMigrations, standinsSql } from '../../lib/store/migrate'
import { freshDatabase } from '../helpers/fresh-database'

const TEXT_FORMAT = '20261130101000'

describe('crm_links field hashes', () => {
  it.each([
    [{}, ''],
    [{ email: '80af5110be0d' }, 'email:80af5110be0d'],
    [{ email: '80af5110be0d', phone: 'empty', '@company': 'f5c4a1774e98' }, 'email:80af5110be0d,phone:empty,@company:f5c4a1774e98'],
  ])('%j is stored as %j and read back', (hashes, text) => {
    expect(encodeFieldHashes(hashes)).toBe(text)
    expect(decodeFieldHashes(text)).toEqual(hashes)
  })

  it('an entry that would not read back is refused', () => {
    expect(() => encodeFieldHashes({ 'a,b': '1' })).toThrow(/cannot be stored/)
    expect(() => encodeFieldHashes({ a: '1:2' })).toThrow(/cannot be stored/)
  })

  it('the migration converts existing jsonb hashes, and a review decision merges over them', async () => {
    const db = await freshDatabase()
    try {
      await db.sql.unsafe(standinsSql())
      const migrations = listMigrations()
      for (const m of migrations.filter((m) => m.version < TEXT_FORMAT)) await db.sql.unsafe(m.sql)
      const [t] = await db.sql`insert into tenants (name) values ('t') returning id`
      const [c] = await db.sql`insert into crm_connections (tenant_id, provider, auth_method) values (${t.id}, 'hubspot', 'private_app') returning id`
      const localId = '01a22bce-230e-76d2-87c7-eee8d370de59'
      await db.sql`insert into crm_links (tenant_id, connection_id, object_type, local_id, remote_id, field_hashes, origin, match_reason)
                   values (${t.id}, ${c.id}, 'contact', ${localId}, '101', ${db.sql.json({ phone: 'empty', email: '80af5110be0d' } as never)}, 'crm', 'created')`
      for (const m of migrations.filter((m) => m.version >= TEXT_FORMAT)) await db.sql.unsafe(m.sql)

      const link = (await loadLinksByLocal(db.sql, c.id, 'contact', [localId])).get(localId)!
      expect(link.fieldHashes).toEqual({ email: '80af5110be0d', phone: 'empty' })
      await mergeFieldHashes(db.sql, c.id, 'contact', localId, { phone: 'a00e8cc77880', jobTitle: 'empty' })
      const merged = (await loadLinksByLocal(db.sql, c.id, 'contact', [localId])).get(localId)!
      expect(merged.fieldHashes).toEqual({ email: '80af5110be0d', jobTitle: 'empty', phone: 'a00e8cc77880' })
    } finally {
      await db.drop()
    }
  })
})
