-- The app's edits to a deal's contacts (rows added to or removed from deal_contacts) are
-- pushed like its edits to the deal itself: each queues the deal with the pseudo-column
-- 'contacts', and the push adds or removes the associations in the CRM. Before, they were
-- never pushed, and the next pull of the deal put the CRM's list back: the edit was lost.
-- The sync's own writes (replacing a deal's contacts on a pull) are skipped, as for the
-- record tables; so is a deal being deleted, whose rows go with it (its delete is queued).
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
    from public.crm_connections c
    join public.deals d on d.tenant_id = v_tenant and d.id = any (v_deals)
   where c.tenant_id = v_tenant and c.status <> 'disconnected'
     and coalesce(c.settings ->> 'direction', 'bidirectional') <> 'pull';
  return null;
end
$$;

create or replace trigger deal_contacts_capture_crm_change
  after insert or update or delete on public.deal_contacts
  for each row when (current_setting('syncline.writer', true) is distinct from 'sync')
  execute function private.capture_deal_contacts_change();
