-- Extra CRM properties a connection reads beside the mapped columns (settings.extraProperties),
-- by the CRM's internal name, non-empty values only. CRM → app: the sync writes them, and the
-- outbox trigger ignores the column, so the app's own change to it is never pushed.
alter table public.contacts add column if not exists crm_properties jsonb not null default '{}'::jsonb;
alter table public.companies add column if not exists crm_properties jsonb not null default '{}'::jsonb;
alter table public.deals add column if not exists crm_properties jsonb not null default '{}'::jsonb;

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
  select v_tenant, c.id, v_object, v_id, v_op, v_changed
    from public.crm_connections c
   where c.tenant_id = v_tenant and c.status <> 'disconnected'
     and coalesce(c.settings ->> 'direction', 'bidirectional') <> 'pull';
  return null;
end
$$;
