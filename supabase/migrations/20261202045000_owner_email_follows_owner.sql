-- owner_email is the owner's email as the app shows it (the leads list), kept next to owner_id.
-- Only the pull wrote it (upsertRecords, linkArrived: both from the owners row it links), and
-- the outbox ignores it, so a host app that sets owner_id itself (`update contacts set
-- owner_id = …`, or an insert with an owner) left it as it was: the previous owner's email
-- under the new owner's name, or NULL for good, since the push's echo is not written back.
-- Now the database keeps it for every writer: a row whose owner_id is set or changed, and
-- whose owner_email the same statement did not set, takes the owner's email (NULL without an
-- owner). The WHEN clauses keep the pull out of it: its writes set both columns together, so
-- the function is not even called for them (no cost to a backfill of many pages).
-- https://www.postgresql.org/docs/current/sql-createtrigger.html (WHEN, UPDATE OF)
create or replace function private.owner_email_of_owner()
returns trigger language plpgsql set search_path = '' as $$
begin
  -- Only an owner of the row's own tenant: an owner_id another tenant's (a writer that
  -- bypasses row-level security) gives no email, rather than that tenant's.
  new.owner_email := (select o.email from public.owners o where o.id = new.owner_id and o.tenant_id = new.tenant_id);
  return new;
end
$$;

do $$
declare
  t text;
begin
  foreach t in array array['contacts', 'companies', 'deals'] loop
    execute format('create or replace trigger %I before insert on public.%I for each row
                      when (new.owner_id is not null and new.owner_email is null)
                      execute function private.owner_email_of_owner()', t || '_owner_email_insert', t);
    execute format('create or replace trigger %I before update of owner_id on public.%I for each row
                      when (new.owner_id is distinct from old.owner_id and new.owner_email is not distinct from old.owner_email)
                      execute function private.owner_email_of_owner()', t || '_owner_email_update', t);
    -- Rows already stale. Not an edit of the record: updated_at (the app's last edit, which
    -- conflicts and the leads list read) stays as it was, and the outbox ignores owner_email.
    execute format('alter table public.%I disable trigger %I', t, t || '_touch');
    execute format('update public.%I r set owner_email = o.email
                      from public.owners o
                     where o.id = r.owner_id and o.tenant_id = r.tenant_id and r.owner_email is distinct from o.email', t);
    execute format('update public.%I r set owner_email = null
                     where r.owner_email is not null
                       and not exists (select 1 from public.owners o where o.id = r.owner_id and o.tenant_id = r.tenant_id)', t);
    execute format('alter table public.%I enable trigger %I', t, t || '_touch');
  end loop;
end
$$;
