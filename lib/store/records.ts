import type { DealContactPair } from '../crm/deal-contacts'
import type { Fields, ObjectType } from '../crm/types'
import { COLUMN_OF, TABLE } from './columns'
import type { Db, Tx } from './db'

export interface LocalRecord {
  id: string
  source: 'manual' | 'crm' | 'import'
  fields: Fields
  updatedAt: Date
  archivedAt: Date | null
  companyId: string | null
  /** crm_properties: the connection's extra CRM properties, as the last pull wrote them (unset: none). */
  extra?: Fields
  /**
   * The row has an owner, but the connection read for has no owner for it (see selectSql):
   * who it is (their email, else the owners row's id), for the reason the push gives.
   */
  ownerNotInConnection?: string
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return v.toISOString()
  return String(v)
}

const selectSql = Object.fromEntries(
  (Object.keys(TABLE) as ObjectType[]).map((type) => {
    const cols = Object.values(COLUMN_OF[type]).map((c) => `t.${c.column}`)
    const company = type === 'company' ? 'null::uuid as company_id' : 't.company_id'
    // The owner as connection $3 knows it: owners rows are per connection (a HubSpot portal
    // each), and the app may set owner_id to any of its tenant's. The row's own owner if it is
    // this connection's; else this connection's live owner with the same email (owners are
    // people, each with an id per portal); else none, and owner_label says who it was. An
    // owner of another tenant (a writer that bypasses row-level security) is never read.
    // With no owner here, the owner the CRM named that is not in the app yet (crm_pending_refs,
    // waiting for linkArrived): the row's emptiness is that wait, not the app clearing its
    // owner, which the pull would otherwise weigh as the app's edit and send to the CRM.
    const owner = `case when t.owner_id is null then (select p.remote_id from public.crm_pending_refs p
               where p.connection_id = $3 and p.object_type = '${type}' and p.local_id = t.id and p.kind = 'owner'
               order by p.created_at desc limit 1)
        when o.connection_id = $3 then o.remote_id
        else (select x.remote_id from public.owners x
               where x.connection_id = $3 and x.archived_at is null and lower(x.email) = lower(o.email)
               order by x.remote_id limit 1) end`
    return [type, `select t.id, t.source, t.updated_at, t.archived_at, ${company}, r.owner_remote_id,
        case when t.owner_id is not null and r.owner_remote_id is null then coalesce(nullif(o.email, ''), t.owner_id::text) end as owner_label,
        t.crm_properties, ${cols.join(', ')}
      from public.${TABLE[type]} t
      left join public.owners o on o.id = t.owner_id and o.tenant_id = t.tenant_id
      cross join lateral (select ${owner} as owner_remote_id) r
      where t.tenant_id = $1 and t.id = any($2::uuid[])`]
  }),
) as Record<ObjectType, string>

// The same rows, locked until the transaction ends, in id order (two transactions locking
// overlapping sets take them in one order).
const lockedSelectSql = Object.fromEntries(
  (Object.keys(TABLE) as ObjectType[]).map((type) => [type, `${selectSql[type]} order by t.id for update of t`]),
) as Record<ObjectType, string>

/**
 * Local records by id, with canonical fields (values as text, as CRMs hold them); the owner
 * (ownerRemoteId) as connection `connectionId` knows it. `lock`: their rows locked until the
 * transaction ends (FOR UPDATE), so what is read is what they hold when it writes them.
 */
export async function loadLocalRecords(db: Db, tenantId: string, connectionId: string, type: ObjectType, ids: string[],
  opts: { lock?: boolean } = {}): Promise<Map<string, LocalRecord>> {
  const out = new Map<string, LocalRecord>()
  if (ids.length === 0) return out
  // Left unprepared (postgres.js's default for `unsafe`): prepared, Postgres switches to a
  // generic plan after five runs, and for `id = any($2)` that plan made a 500-row page's
  // upsert and read-back 4.7× slower on the embedded database (150–191 ms vs 32–40 ms).
  const rows = await db.unsafe((opts.lock ? lockedSelectSql : selectSql)[type], [tenantId, ids, connectionId])
  for (const r of rows) {
    const fields: Fields = { ownerRemoteId: r.owner_remote_id ?? null }
    for (const [field, c] of Object.entries(COLUMN_OF[type])) fields[field] = toText(r[c.column])
    out.set(r.id, { id: r.id, source: r.source, fields, updatedAt: r.updated_at, archivedAt: r.archived_at, companyId: r.company_id, extra: r.crm_properties ?? {},
      ...(r.owner_label ? { ownerNotInConnection: r.owner_label } : {}) })
  }
  return out
}

/**
 * Locks one local record's row until the transaction ends (SELECT … FOR UPDATE), so what is
 * read of it next is what it holds when the transaction writes: an app write to the row
 * (the lead form, an import, a host app's UPDATE) either committed before, and is read, or
 * waits until after. Whether the row exists (a deleted one locks nothing).
 */
export async function lockLocalRecord(tx: Tx, tenantId: string, type: ObjectType, id: string): Promise<boolean> {
  const rows = await tx.unsafe(`select id from public.${TABLE[type]} where tenant_id = $1 and id = $2 for update`, [tenantId, id])
  return rows.length === 1
}

export interface MatchCandidateRow {
  localId: string
  email: string | null
  phone: string | null
  source: 'manual' | 'crm' | 'import'
  linkedRemoteId: string | null
}

/** Live local contacts sharing an email or phone with incoming records, with their link on this connection. */
export async function findContactCandidates(db: Db, tenantId: string, connectionId: string, emails: string[], phones: string[]): Promise<MatchCandidateRow[]> {
  if (emails.length === 0 && phones.length === 0) return []
  // One index probe per email and per phone (lateral, fenced with offset 0 so it is not
  // flattened into a join), rather than `= any(…) or = any(…)`: with hundreds of values
  // the planner prices the probes above a scan of the whole table, and a backfill would
  // scan the growing table once per batch.
  const rows = await db`
    select distinct on (m.id) m.id, m.email, m.phone, m.source,
           (select l.remote_id from crm_links l where l.connection_id = ${connectionId} and l.object_type = 'contact' and l.local_id = m.id) as remote_id
      from (select c.* from unnest(${emails}::text[]) as e(email)
              cross join lateral (select id, email, phone, source from contacts
                                   where tenant_id = ${tenantId} and lower(email) = e.email and archived_at is null offset 0) c
            union all
            select c.* from unnest(${phones}::text[]) as p(phone)
              cross join lateral (select id, email, phone, source from contacts
                                   where tenant_id = ${tenantId} and phone = p.phone and archived_at is null offset 0) c) m`
  return rows.map((r) => ({ localId: r.id, email: r.email, phone: r.phone, source: r.source, linkedRemoteId: r.remote_id }))
}

export interface RecordWrite {
  id: string
  fields: Fields
  companyRemoteId?: string | null
  /** Keep the record's company as it is (an update whose CRM company has not changed). */
  keepCompany?: boolean
  createdAt: Date
  /** crm_properties to write; unset: the row keeps its own (a new row: none). */
  extra?: Fields
}

// Rows travel as one jsonb array of positional arrays ([id, owner, company, created, …
// columns]) rather than an array of objects: half the bytes (no repeated keys), and
// Postgres reads `e->>i` straight from the parsed array instead of matching every key of
// every row (embedded PGlite, 20,000 rows: ~320 → ~250 ms).
const FIXED = [['id', 'uuid'], ['owner_remote_id', 'text'], ['company_remote_id', 'text'], ['created_at', 'timestamptz'], ['keep_company', 'boolean'],
  ['crm_properties', 'jsonb']] as const

/** `(e->>0)::uuid as id, (e->>1)::text as …` for a row sent as a positional jsonb array (jsonb: the element itself, JSON null as NULL). */
function positionalColumns(columns: ReadonlyArray<readonly [string, string]>): string {
  return columns.map(([name, type], i) => (type === 'jsonb' ? `nullif(e->${i}, 'null'::jsonb) as ${name}` : `(e->>${i})::${type} as ${name}`)).join(', ')
}

const FIELDS = Object.fromEntries(
  (Object.keys(TABLE) as ObjectType[]).map((type) => [type, Object.entries(COLUMN_OF[type])]),
) as Record<ObjectType, Array<[string, { column: string; type: string }]>>

const upsertSql = Object.fromEntries(
  (Object.keys(TABLE) as ObjectType[]).map((type) => {
    const cols = FIELDS[type].map(([, c]) => c)
    const hasCompany = type !== 'company'
    const row = positionalColumns([...FIXED, ...cols.map((c) => [c.column, c.type] as const)])
    const insertCols = ['id', 'tenant_id', 'source', 'owner_id', 'owner_email', 'created_at', ...(hasCompany ? ['company_id'] : []),
      'crm_properties', ...cols.map((c) => c.column)]
    // A kept company is read back from the row itself (one probe, only for those rows).
    const company = `case when u.keep_company then (select k.company_id from public.${TABLE[type]} k where k.id = u.id) else cl.local_id end`
    // Extra properties not read: the row's own stand (one probe, only for those rows).
    const extra = `coalesce(u.crm_properties, (select k.crm_properties from public.${TABLE[type]} k where k.id = u.id), '{}'::jsonb)`
    const values = ['u.id', '$2::uuid', "'crm'", 'o.id', 'o.email', 'u.created_at', ...(hasCompany ? [company] : []),
      extra, ...cols.map((c) => `u.${c.column}`)]
    const updates = ['owner_id', 'owner_email', ...(hasCompany ? ['company_id'] : []), 'crm_properties', ...cols.map((c) => c.column)]
      .map((c) => `${c} = excluded.${c}`)
    const companyJoin = hasCompany
      ? `left join public.crm_links cl on cl.connection_id = $3 and cl.object_type = 'company' and cl.remote_id = u.company_remote_id`
      : ''
    // A reference that did not resolve (the company or owner is not in the app yet) is
    // remembered in crm_pending_refs, in the same statement, for linkArrived.
    return [type, `with u as (select ${row} from jsonb_array_elements($1::jsonb) as e),
      w as (
        insert into public.${TABLE[type]} as t (${insertCols.join(', ')})
        select ${values.join(', ')}
          from u
          left join public.owners o on o.connection_id = $3 and o.remote_id = u.owner_remote_id
          ${companyJoin}
        on conflict (id) do update set ${updates.join(', ')}, archived_at = null
        returning t.id, ${hasCompany ? 't.company_id' : 'null::uuid as company_id'}, t.owner_id)
      insert into public.crm_pending_refs (connection_id, kind, remote_id, object_type, local_id, tenant_id)
      select $3, r.kind, r.remote_id, '${type}', w.id, $2
        from w join u on u.id = w.id
        cross join lateral (values ('company', case when w.company_id is null then u.company_remote_id end),
                                   ('owner', case when w.owner_id is null then u.owner_remote_id end)) as r(kind, remote_id)
       where r.remote_id is not null
      on conflict do nothing`]
  }),
) as Record<ObjectType, string>

/**
 * Writes many records in one statement: inserts new ones (source 'crm'), updates existing
 * ones in place (a manual lead keeps source 'manual'). Owner and company references are
 * resolved in SQL from the remote ids.
 */
export async function upsertRecords(db: Db, tenantId: string, connectionId: string, type: ObjectType, rows: RecordWrite[]): Promise<void> {
  if (rows.length === 0) return
  const fields = FIELDS[type]
  const payload = rows.map((r) => {
    const row: unknown[] = [r.id, r.fields.ownerRemoteId ?? null, r.companyRemoteId ?? null, r.createdAt.toISOString(), r.keepCompany === true, r.extra ?? null]
    for (const [field] of fields) row.push(r.fields[field] ?? null)
    return row
  })
  // Prepared (unless the connection turned preparing off, as for Supabase's pooler): its text
  // is fixed per type, and unprepared each page would wait a round trip to learn the
  // parameter types, then be parsed and planned again (500-row batch: 33.5 vs 35.3 ms).
  await db.unsafe(upsertSql[type], [db.json(payload as never) as never, tenantId, connectionId], { prepare: true })
}

// A reference the pull could not resolve when it wrote a record (the company or owner it
// points at was not in the app yet) waits in crm_pending_refs until that record arrives.
// What each kind needs: the tables that hold it, where an arrived company or owner is read
// from, the columns set from it, the link entry that remembers the CRM's id, and the column
// an app edit would name.
const REFERENCES = {
  company: {
    holders: ['contact', 'deal'] as const,
    arrived: `select local_id as id, null::text as email, remote_id from public.crm_links where connection_id = $2 and object_type = 'company'`,
    set: 'company_id = p.id',
    entry: '@company',
    column: 'company_id',
  },
  owner: {
    holders: ['company', 'contact', 'deal'] as const,
    arrived: 'select id, email, remote_id from public.owners where connection_id = $2',
    set: 'owner_id = p.id, owner_email = p.email',
    entry: 'ownerRemoteId',
    column: 'owner_id',
  },
}

const linkArrivedSql = Object.fromEntries(Object.entries(REFERENCES).map(([kind, ref]) => {
  // Per table that holds the reference: link the records that still lack it, whose link
  // still remembers that id ("#<id>", see lib/crm/reference-entry.ts), and whose reference
  // the app has not changed and not pushed yet.
  const updates = ref.holders.map((type) => `${type}_linked as (
      update public.${TABLE[type]} t set ${ref.set}
        from taken p, public.crm_links l
       where p.object_type = '${type}' and t.id = p.local_id and t.tenant_id = $1 and t.${ref.column} is null and t.archived_at is null
         and l.connection_id = $2 and l.object_type = '${type}' and l.local_id = t.id
         and private.entry_names(l.field_hashes, '${ref.entry}', p.remote_id)
         and not exists (select 1 from public.crm_outbox o
                          where o.connection_id = $2 and o.local_id = t.id and '${ref.column}' = any(o.changed_fields))
      returning 1)`)
  return [kind, `with arrived as (${ref.arrived} and remote_id = any($3::text[])),
      taken as (
        delete from public.crm_pending_refs d using arrived a
         where d.connection_id = $2 and d.kind = '${kind}' and d.remote_id = a.remote_id
        returning d.object_type, d.local_id, d.remote_id, a.id, a.email),
      ${updates.join(',\n      ')}
    select ${ref.holders.map((type) => `(select count(*) from ${type}_linked)`).join(' + ')} as linked`]
})) as Record<keyof typeof REFERENCES, string>

/**
 * Records read before the company or owner they point at was in the app (one created after
 * the run's phase for its type, or a webhook ahead of it) get it once it arrives: called in
 * the transaction that brings the companies or owners `remoteIds` in, as the sync writer
 * (nothing to push: the CRM has these references). Their pending references are taken
 * either way: one whose record has moved on (a new company since, or the app's own change
 * on its way out) is simply dropped. Returns how many records were linked.
 */
export async function linkArrived(db: Db, tenantId: string, connectionId: string, kind: keyof typeof REFERENCES, remoteIds: string[]): Promise<number> {
  if (remoteIds.length === 0) return 0
  const [row] = await db.unsafe(linkArrivedSql[kind], [tenantId, connectionId, remoteIds])
  return Number(row.linked)
}

/** Deals among `dealIds` whose contacts the app edited and has not pushed yet (their outbox entry names 'contacts'). */
export async function dealsWithUnpushedContacts(db: Db, connectionId: string, dealIds: string[]): Promise<Set<string>> {
  if (dealIds.length === 0) return new Set()
  const rows = await db`select distinct o.local_id from crm_outbox o
                         where o.connection_id = ${connectionId} and o.object_type = 'deal'
                           and o.local_id = any(${dealIds}::uuid[]) and 'contacts' = any(o.changed_fields)`
  return new Set(rows.map((r) => r.local_id as string))
}

/**
 * Writes deals' contacts from the CRM's ids (see pulledDealContacts): `replace` deals lose
 * all their rows first, `remove` pairs are taken off, `add` pairs put on. Remote ids not
 * linked on this connection (a contact not pulled yet) are skipped.
 */
export async function writeDealContacts(db: Db, tenantId: string, connectionId: string,
  changes: { replace: string[]; add: DealContactPair[]; remove: DealContactPair[] }): Promise<void> {
  const pairs = (list: DealContactPair[]) => db.json(list.map((p) => ({ deal_id: p.dealId, remote_id: p.remoteId })) as never)
  if (changes.replace.length) await db`delete from deal_contacts where deal_id = any(${changes.replace}::uuid[])`
  if (changes.remove.length) {
    await db`
      delete from deal_contacts dc
       using jsonb_to_recordset(${pairs(changes.remove)}::jsonb) as u(deal_id uuid, remote_id text), crm_links l
       where l.connection_id = ${connectionId} and l.object_type = 'contact' and l.remote_id = u.remote_id
         and dc.deal_id = u.deal_id and dc.contact_id = l.local_id`
  }
  if (changes.add.length === 0) return
  // A contact not linked yet waits in crm_pending_refs for linkArrivedDealContacts.
  await db`
    with u as (select * from jsonb_to_recordset(${pairs(changes.add)}::jsonb) as u(deal_id uuid, remote_id text)),
    added as (
      insert into deal_contacts (tenant_id, deal_id, contact_id)
      select ${tenantId}, u.deal_id, l.local_id
        from u join crm_links l on l.connection_id = ${connectionId} and l.object_type = 'contact' and l.remote_id = u.remote_id
      on conflict do nothing)
    insert into crm_pending_refs (connection_id, kind, remote_id, object_type, local_id, tenant_id)
    select ${connectionId}, 'contact', u.remote_id, 'deal', u.deal_id, ${tenantId}
      from u
     where not exists (select 1 from crm_links l where l.connection_id = ${connectionId} and l.object_type = 'contact' and l.remote_id = u.remote_id)
    on conflict do nothing`
}

/**
 * Deals read before some of their contacts were in the app (a rep created both, and the
 * deal's webhook came first) get those contacts once they arrive: their pending references
 * are taken by the arrived contacts' ids. Called in the transaction that links the contacts
 * `contactRemoteIds`. A deal whose link no longer lists the contact (its list changed in the
 * CRM since), or whose contacts the app changed and has not pushed yet, is left as it is.
 */
export async function linkArrivedDealContacts(db: Db, tenantId: string, connectionId: string, contactRemoteIds: string[]): Promise<void> {
  if (contactRemoteIds.length === 0) return
  await db`
    with taken as (
      delete from crm_pending_refs d
       where d.connection_id = ${connectionId} and d.kind = 'contact' and d.remote_id = any(${contactRemoteIds}::text[])
      returning d.local_id as deal_id, d.remote_id)
    insert into deal_contacts (tenant_id, deal_id, contact_id)
    select ${tenantId}, p.deal_id, c.local_id
      from taken p
      join crm_links c on c.connection_id = ${connectionId} and c.object_type = 'contact' and c.remote_id = p.remote_id
      join crm_links l on l.connection_id = ${connectionId} and l.object_type = 'deal' and l.local_id = p.deal_id and l.archived_at is null
     where p.remote_id = any(private.listed_contacts(l.field_hashes))
       and not exists (select 1 from crm_outbox o
                        where o.connection_id = ${connectionId} and o.local_id = p.deal_id and 'contacts' = any(o.changed_fields))
    on conflict do nothing`
}

/** Archives local records that came from the CRM; manual leads are never archived by a sync. */
export async function archiveRecords(db: Db, tenantId: string, type: ObjectType, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0
  const rows = await db.unsafe(
    `update public.${TABLE[type]} set archived_at = now()
      where tenant_id = $1 and id = any($2::uuid[]) and archived_at is null and source <> 'manual' returning id`,
    [tenantId, ids],
  )
  return rows.length
}

/** Stamps contacts we created in the CRM with the origin the CRM now shows for them. */
export async function markOrigin(db: Db, tenantId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await db`update contacts set lead_source_system = 'syncline' where tenant_id = ${tenantId} and id = any(${ids}::uuid[])`
}

/** Takes one contact off one deal (deal_contacts), as the sync: the caller runs as the sync writer. */
export async function removeDealContact(db: Db, dealId: string, contactId: string): Promise<void> {
  await db`delete from deal_contacts where deal_id = ${dealId} and contact_id = ${contactId}`
}
