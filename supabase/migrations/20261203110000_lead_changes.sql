-- The dashboard's poller re-renders the leads table when GET /api/crm/status says a lead
-- changed. It said so by the newest contacts.updated_at, which missed three kinds of change:
-- a contact deleted outright (no row left to carry a time), an update of owner_email alone
-- (20261202110000 keeps updated_at for it on purpose), and a write committed by a transaction
-- that began before one the browser had already seen (its now() is older, so the newest time
-- did not move). Now it is a count of the statements that changed a tenant's live contacts,
-- kept beside the lead count (20261202162000): each such statement appends a row per tenant
-- to private.live_contact_counts, and every row counts one change (`changes`, 1 by default),
-- so the tenant's sum(changes) grows by one or more with every commit that touched its live
-- contacts, whenever it commits and whatever it changed. The hourly cron's fold keeps the sum
-- (lib/store/live-contact-counts.ts), so an idle poll still reads the same number.
--
-- The insert and delete triggers already append a row per statement and tenant for the live
-- rows they add or remove (a hard delete included), and the row trigger one for each row
-- archived, restored or moved to another tenant. What had no row is an update that leaves the
-- count alone: a statement trigger now appends one (n = 0) per tenant whose live contacts it
-- updated, read from its NEW TABLE: one row a statement, not a row each. Its cost on the
-- backfill path: Postgres keeps a copy of every row an UPDATE statement (an upsert's
-- DO UPDATE included) changes, for the transition table; an insert adds nothing.
-- https://www.postgresql.org/docs/15/sql-createtrigger.html (REFERENCING NEW TABLE)
alter table private.live_contact_counts add column if not exists changes bigint not null default 1;

create or replace function private.note_contact_updates()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into private.live_contact_counts (tenant_id, n)
    select distinct tenant_id, 0 from new_rows where archived_at is null;
  return null;
end
$$;

create or replace trigger contacts_changes_update after update on public.contacts
  referencing new table as new_rows for each statement execute function private.note_contact_updates();

-- As in 20261202162000, but a truncate keeps each tenant's changes (and counts one more),
-- so the number never goes back to one a browser has seen.
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
    with gone as (delete from private.live_contact_counts returning tenant_id, changes)
    insert into private.live_contact_counts (tenant_id, n, changes)
      select tenant_id, 0, sum(changes) + 1 from gone group by tenant_id;
  end if;
  return null;
end
$$;
