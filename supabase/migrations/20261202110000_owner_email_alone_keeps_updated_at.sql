-- owner_email follows the owners row (20261202045000_owner_email_follows_owner.sql), and now
-- also the owner's own email: when the owners pull reads a changed email, every live record
-- of that owner takes it (followOwnerEmails in lib/store/owners.ts). That is not an edit of
-- those records. updated_at is the app's last edit of a record: "the newer edit wins" weighs
-- it for an edit still waiting to be pushed (plan-push.ts, merge-edits.ts), and the leads
-- list sorts by it. Had an owner's new email moved it, every record of that owner would
-- have jumped to the top of the list and had its waiting edits dated now.
-- So the touch trigger skips an update whose only change is owner_email. The WHEN clause's
-- first test is one comparison, false for any write that leaves owner_email alone (the
-- app's edits, most of the pull's): only a row whose owner_email changed compares the rest
-- of the row. Disabling the trigger around the update instead (as 20261202045000 did once,
-- in its migration) would lock the whole table against every tenant's writes.
-- https://www.postgresql.org/docs/current/sql-createtrigger.html (WHEN: "OLD.* IS DISTINCT FROM NEW.*")
do $$
declare
  t text;
begin
  foreach t in array array['contacts', 'companies', 'deals'] loop
    execute format('create or replace trigger %I before update on public.%I for each row
                      when (new.owner_email is not distinct from old.owner_email
                            or (to_jsonb(new.*) - ''owner_email'' - ''updated_at'') is distinct from (to_jsonb(old.*) - ''owner_email'' - ''updated_at''))
                      execute function private.touch_updated_at()', t || '_touch', t);
    -- Rows gone stale since 20261202045000 mended them: an owner whose email changed in
    -- HubSpot left its records' owner_email as it was (the owners row has the new one).
    -- The outbox ignores owner_email, and the trigger above keeps updated_at.
    execute format('update public.%I r set owner_email = o.email
                      from public.owners o
                     where o.id = r.owner_id and o.tenant_id = r.tenant_id and r.owner_email is distinct from o.email', t);
  end loop;
end
$$;
