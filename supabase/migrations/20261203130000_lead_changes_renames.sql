-- The dashboard's poller re-renders the leads table when a tenant's count of lead changes
-- moves (20261203110000: one row per statement and tenant in private.live_contact_counts,
-- summed by leadChanges). The table also shows two things kept outside contacts: the
-- associated company's name (companies.name) and the owner's name (owners.first_name,
-- last_name). Renaming either changed the table and not the count, so an open dashboard kept
-- the old name until the next write of a lead. Now an UPDATE statement on companies or owners
-- appends one row (n = 0: the lead count is unchanged) per tenant whose shown value it
-- changed on a row that a live contact of the tenant names: read from the statement's OLD
-- and NEW TABLE, one row a statement, not a row each, as for contacts.
--
-- What needs no trigger here: the owner's email shown is the contact's own owner_email,
-- which followOwnerEmails writes on the contacts (their update trigger counts it); a company
-- or owner deleted sets the contacts' reference null (an update of contacts); a new one has
-- no contact naming it yet (the reference arrives by an update of contacts). A company or
-- owner moved to another tenant (only past the app) is not followed.
--
-- A column list (UPDATE OF name) cannot be given with transition tables, so every UPDATE
-- statement on these two tables fires it and the comparison picks the renames. Its cost:
-- Postgres keeps a copy of the rows an UPDATE changes for OLD and NEW TABLE, on two tables
-- far smaller than contacts; and one index probe (contacts_company_idx, contacts_owner_idx)
-- per renamed row.
-- https://www.postgresql.org/docs/15/sql-createtrigger.html (REFERENCING, "column list")
create or replace function private.note_company_renames()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into private.live_contact_counts (tenant_id, n)
    select distinct n.tenant_id, 0 from old_rows o join new_rows n on n.id = o.id
     where n.name is distinct from o.name
       and exists (select 1 from public.contacts c where c.company_id = n.id and c.tenant_id = n.tenant_id and c.archived_at is null);
  return null;
end
$$;

create or replace trigger companies_lead_changes after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.note_company_renames();

create or replace function private.note_owner_renames()
returns trigger language plpgsql security definer set search_path = '' as $$
begin
  insert into private.live_contact_counts (tenant_id, n)
    select distinct n.tenant_id, 0 from old_rows o join new_rows n on n.id = o.id
     where (n.first_name is distinct from o.first_name or n.last_name is distinct from o.last_name)
       and exists (select 1 from public.contacts c where c.owner_id = n.id and c.tenant_id = n.tenant_id and c.archived_at is null);
  return null;
end
$$;

create or replace trigger owners_lead_changes after update on public.owners
  referencing old table as old_rows new table as new_rows for each statement execute function private.note_owner_renames();
