-- Tenant isolation in Postgres itself. The server (sync engine, route handlers)
-- connects as the table owner and scopes every query by tenant; Supabase clients
-- signed in as a user (role authenticated) see only their tenants' rows.
-- https://supabase.com/docs/guides/database/postgres/row-level-security

grant usage on schema private to anon, authenticated, service_role;
grant execute on function private.user_tenant_ids() to authenticated, service_role;
revoke execute on function private.capture_crm_change() from public, anon, authenticated;

do $$
declare
  t text;
begin
  foreach t in array array['owners', 'companies', 'contacts', 'deals', 'deal_contacts',
                           'crm_links', 'sync_cursors', 'sync_runs', 'webhook_events',
                           'crm_outbox', 'sync_conflicts', 'crm_connections']
  loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on table public.%I from anon, authenticated', t);
    execute format('drop policy if exists tenant_isolation on public.%I', t);
    execute format(
      'create policy tenant_isolation on public.%I for all to authenticated
         using (tenant_id in (select private.user_tenant_ids()))
         with check (tenant_id in (select private.user_tenant_ids()))', t);
  end loop;
end
$$;

-- App data a signed-in user may read and edit (edits are captured by the outbox trigger).
grant select, insert, update, delete on public.contacts, public.companies, public.deals,
  public.deal_contacts to authenticated;
-- Sync bookkeeping is read-only to users; conflicts are decided through the app.
grant select on public.owners, public.crm_links, public.sync_cursors, public.sync_runs,
  public.webhook_events, public.crm_outbox, public.sync_conflicts to authenticated;
-- Never the encrypted credentials.
grant select (id, tenant_id, provider, auth_method, portal_id, label, status, status_reason,
  settings, next_sync_at, last_synced_at, webhooks_enabled, webhook_total_received,
  webhook_last_received_at, created_at, updated_at) on public.crm_connections to authenticated;

alter table public.tenants enable row level security;
revoke all on table public.tenants from anon, authenticated;
grant select on public.tenants to authenticated;
drop policy if exists member_reads on public.tenants;
create policy member_reads on public.tenants for select to authenticated
  using (id in (select private.user_tenant_ids()));

alter table public.tenant_members enable row level security;
revoke all on table public.tenant_members from anon, authenticated;
grant select on public.tenant_members to authenticated;
drop policy if exists own_memberships on public.tenant_members;
create policy own_memberships on public.tenant_members for select to authenticated
  using (user_id = (select auth.uid()));
