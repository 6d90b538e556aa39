-- A disconnected connection keeps collecting the app's edits in its outbox. Connecting the
-- same HubSpot account again revives that connection, with its links, cursors and settings
-- (lib/store/connections.ts, saveConnection), and what the app changed while it was
-- disconnected is pushed then, as after any pause. Before, those edits were never queued, so
-- after a reconnect they stayed in the app only (a record the CRM did not change again was
-- never compared), and a reconnect made a second connection that imported everything again.
-- Which connections an edit is queued for is now one function that both triggers call, so a
-- change to that rule no longer restates them. Pull-only connections still queue nothing
-- (20261124110000_outbox_skips_pull_only.sql).
create or replace function private.outbox_connections(p_tenant uuid)
returns table (id uuid)
language sql stable security definer set search_path = ''
as $$
  select c.id from public.crm_connections c
   where c.tenant_id = p_tenant and coalesce(c.settings ->> 'direction', 'bidirectional') <> 'pull'
$$;
revoke execute on function private.outbox_connections(uuid) from public, anon, authenticated;

create or replace function private.capture_crm_change()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_object text := tg_argv[0];
  v_tenant uuid;
  v_id uuid;
  v_op text;
  v_changed text[];
  -- Bookkeeping columns, and those the CRM owns, are never pushed.
  v_ignored text[] := array['id', 'tenant_id', 'created_at', 'updated_at', 'source',
                            'owner_email', 'last_activity_at', 'lead_source_system', 'crm_properties'];
begin
  if coalesce(current_setting('syncline.writer', true), '') = 'sync' then
    return null;
  end if;

  if tg_op = 'DELETE' then
    v_tenant := old.tenant_id; v_id := old.id; v_op := 'delete'; v_changed := '{}';
  elsif tg_op = 'INSERT' then
    v_tenant := new.tenant_id; v_id := new.id; v_op := 'insert';
    select coalesce(array_agg(n.key order by n.key), '{}') into v_changed
      from jsonb_each(to_jsonb(new)) n
     where n.value <> 'null'::jsonb and not n.key = any (v_ignored);
  else
    v_tenant := new.tenant_id; v_id := new.id; v_op := 'update';
    select array_agg(n.key order by n.key) into v_changed
      from jsonb_each(to_jsonb(new)) n
     where n.value is distinct from (to_jsonb(old) -> n.key) and not n.key = any (v_ignored);
    if v_changed is null then
      return null;
    end if;
  end if;

  insert into public.crm_outbox (tenant_id, connection_id, object_type, local_id, op, changed_fields)
  select v_tenant, c.id, v_object, v_id, v_op, v_changed from private.outbox_connections(v_tenant) c;
  return null;
end
$$;

create or replace function private.capture_deal_contacts_change()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_tenant uuid;
  v_deals uuid[];
begin
  if coalesce(current_setting('syncline.writer', true), '') = 'sync' then
    return null;
  end if;
  if tg_op = 'INSERT' then
    v_tenant := new.tenant_id; v_deals := array[new.deal_id];
  elsif tg_op = 'DELETE' then
    v_tenant := old.tenant_id; v_deals := array[old.deal_id];
  else
    v_tenant := new.tenant_id; v_deals := array[new.deal_id, old.deal_id];
  end if;

  insert into public.crm_outbox (tenant_id, connection_id, object_type, local_id, op, changed_fields)
  select v_tenant, c.id, 'deal', d.id, 'update', array['contacts']
    from private.outbox_connections(v_tenant) c
    join public.deals d on d.tenant_id = v_tenant and d.id = any (v_deals);
  return null;
end
$$;
