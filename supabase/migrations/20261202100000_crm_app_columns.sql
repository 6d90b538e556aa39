-- Which column of the app's table each mapped field was in when a connection last looked
-- (pg_attribute.attnum, per connection and object type). A host app that drops a mapped
-- column and adds it again (or renames it away and adds a new one under its name) gets a new
-- attnum, never a reused one, and every row holds NULL there while HubSpot and the links
-- still hold what was last synced. The sync notices the new number, marks that field lost on
-- the connection's links (an empty app value there is not the app's edit: never pushed, filled
-- from HubSpot) and reads every record again: lib/crm/recreated-columns.ts. A column renamed
-- away and back keeps its number, and its values: nothing happens. 0: the column was missing
-- when last seen (any number it comes back with is a new column).
create table if not exists public.crm_app_columns (
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('company', 'contact', 'deal')),
  column_name text not null,
  attnum smallint not null,
  tenant_id uuid not null,
  primary key (connection_id, object_type, column_name)
);

-- The sync's own bookkeeping: no client reads it.
alter table public.crm_app_columns enable row level security;
revoke all on table public.crm_app_columns from anon, authenticated;

-- Each connection's columns as they are now, so a column re-created before its next sync is
-- noticed too (without a number on record, the first look only records it).
insert into public.crm_app_columns (connection_id, object_type, column_name, attnum, tenant_id)
select c.id, t.object_type, a.attname, a.attnum, c.tenant_id
  from public.crm_connections c
 cross join (values ('contact', 'public.contacts'), ('company', 'public.companies'), ('deal', 'public.deals')) as t (object_type, tbl)
  join pg_attribute a on a.attrelid = to_regclass(t.tbl) and a.attnum > 0 and not a.attisdropped
on conflict do nothing;
