-- A signed-in user (role authenticated, e.g. through Supabase's Data API) may write contacts,
-- companies, deals and deal_contacts directly. tenant_isolation checks the row's own
-- tenant_id, but the foreign keys check ids alone: a contact of workspace A could point at a
-- company of workspace B (whose name A's dashboard would then show). These restrictive
-- policies add that every id a row points at belongs to the row's own workspace. The
-- subqueries run under the user's own row-level security, so another workspace's row is
-- simply not found. The server connects as the table owner and is not subject to them; it
-- only ever sets these ids from its own tenant-scoped reads.
-- https://www.postgresql.org/docs/current/sql-createpolicy.html (AS RESTRICTIVE)

create or replace function private.refs_in_tenant(tenant uuid, company uuid, owner uuid)
returns boolean language sql stable security invoker set search_path = '' as $$
  select (company is null or exists (select 1 from public.companies r where r.id = company and r.tenant_id = tenant))
     and (owner is null or exists (select 1 from public.owners r where r.id = owner and r.tenant_id = tenant))
$$;

create or replace function private.deal_contact_in_tenant(tenant uuid, deal uuid, contact uuid)
returns boolean language sql stable security invoker set search_path = '' as $$
  select exists (select 1 from public.deals r where r.id = deal and r.tenant_id = tenant)
     and exists (select 1 from public.contacts r where r.id = contact and r.tenant_id = tenant)
$$;

grant execute on function private.refs_in_tenant(uuid, uuid, uuid) to authenticated, service_role;
grant execute on function private.deal_contact_in_tenant(uuid, uuid, uuid) to authenticated, service_role;

-- Per table, what its rows may point at; the same pair of policies on each.
do $$
declare
  t record;
begin
  for t in select * from (values
    ('contacts', 'private.refs_in_tenant(tenant_id, company_id, owner_id)'),
    ('deals', 'private.refs_in_tenant(tenant_id, company_id, owner_id)'),
    ('companies', 'private.refs_in_tenant(tenant_id, null, owner_id)'),
    ('deal_contacts', 'private.deal_contact_in_tenant(tenant_id, deal_id, contact_id)')) as v(name, allowed)
  loop
    execute format('drop policy if exists same_tenant_refs_insert on public.%I', t.name);
    execute format('drop policy if exists same_tenant_refs_update on public.%I', t.name);
    execute format('create policy same_tenant_refs_insert on public.%I as restrictive for insert to authenticated
                      with check (%s)', t.name, t.allowed);
    execute format('create policy same_tenant_refs_update on public.%I as restrictive for update to authenticated
                      using (true) with check (%s)', t.name, t.allowed);
  end loop;
end
$$;
