-- The outbox trigger, as 20261201130000 left it, with one change: an UPDATE's old row is
-- turned into jsonb once, not once for each of the row's columns, which the comparison
-- below did (to_jsonb(old) inside the WHERE of a jsonb_each over ~20 columns). Measured
-- by `npm run bench -- --mode push` and alone (an UPDATE of 4,000 contacts on Postgres 15:
-- 0.97–1.18 s as it was, 0.14 s with the trigger off); see bench/RESULTS.md. What it
-- records is unchanged.
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
  v_old jsonb;
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
    v_tenant := new.tenant_id; v_id := new.id; v_op := 'update'; v_old := to_jsonb(old);
    select array_agg(n.key order by n.key) into v_changed
      from jsonb_each(to_jsonb(new)) n
     where n.value is distinct from (v_old -> n.key) and not n.key = any (v_ignored);
    if v_changed is null then
      return null;
    end if;
  end if;

  insert into public.crm_outbox (tenant_id, connection_id, object_type, local_id, op, changed_fields)
  select v_tenant, c.id, v_object, v_id, v_op, v_changed from private.outbox_connections(v_tenant) c;
  return null;
end
$$;
