-- The dashboard's header says how many leads a workspace has (lib/store/dashboard.ts
-- countLeads): a count(*) of its live contacts, read at every render and after every poll
-- that saw a change; at 1,000,000 contacts 0.4–0.6 s on PGlite and Postgres 15 (more on a
-- loaded machine), and on the embedded database a sync waits meanwhile. An index cannot make
-- it cheap: an index-only count still visits every entry, and on PGlite (no autovacuum, so no
-- visibility map) every row besides. So the count is kept as it changes, exactly, by the
-- database for every writer (the sync, the app, SQL typed by hand).
--
-- Kept as deltas, not one row per tenant: one row updated by every write would serialise
-- every transaction writing a tenant's contacts on it until commit (and a page that locks
-- contacts after its insert could deadlock with an app write waiting on it). Each statement
-- that adds or removes live contacts appends a row per tenant (an insert or delete statement
-- one, whatever its size, from its transition table; an update only for the rows it archives,
-- restores or moves to another tenant, which its WHEN clause picks at no cost to the others).
-- countLeads sums them and folds them into one row now and then.
-- https://www.postgresql.org/docs/15/sql-createtrigger.html (REFERENCING, WHEN)
create table if not exists private.live_contact_counts (
  tenant_id uuid not null,
  n bigint not null
);
create index if not exists live_contact_counts_tenant_idx on private.live_contact_counts (tenant_id);
revoke all on private.live_contact_counts from public, anon, authenticated;

-- One function for the four triggers below, by TG_OP. security definer: a host app writing
-- contacts as another role (Supabase's Data API) has no right to the private schema's table.
create or replace function private.count_live_contacts()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    insert into private.live_contact_counts (tenant_id, n)
      select tenant_id, count(*) from new_rows where archived_at is null group by tenant_id;
  elsif tg_op = 'DELETE' then
    insert into private.live_contact_counts (tenant_id, n)
      select tenant_id, -count(*) from old_rows where archived_at is null group by tenant_id;
  elsif tg_op = 'UPDATE' then
    -- One row, archived, restored or moved to another tenant.
    insert into private.live_contact_counts (tenant_id, n)
      select old.tenant_id, -1 where old.archived_at is null
      union all
      select new.tenant_id, 1 where new.archived_at is null;
  else
    delete from private.live_contact_counts;
  end if;
  return null;
end
$$;

create or replace trigger contacts_count_insert after insert on public.contacts
  referencing new table as new_rows for each statement execute function private.count_live_contacts();
create or replace trigger contacts_count_delete after delete on public.contacts
  referencing old table as old_rows for each statement execute function private.count_live_contacts();
create or replace trigger contacts_count_update after update of archived_at, tenant_id on public.contacts for each row
  when ((old.archived_at is null) <> (new.archived_at is null) or old.tenant_id <> new.tenant_id)
  execute function private.count_live_contacts();
create or replace trigger contacts_count_truncate after truncate on public.contacts
  for each statement execute function private.count_live_contacts();

-- The rows already there. The triggers above took a lock that keeps every other writer out
-- until this commits, so nothing is counted twice or missed.
delete from private.live_contact_counts;
insert into private.live_contact_counts (tenant_id, n)
  select tenant_id, count(*) from public.contacts where archived_at is null group by tenant_id;
