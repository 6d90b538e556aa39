-- App edits made while a connection is HubSpot → app only are remembered in its outbox, held
-- (not pushed), and go out at the first sync once the connection is two-way (or app → HubSpot
-- only) again, under its conflict strategy like any waiting edit: a field HubSpot changed
-- meanwhile is weighed by the pull that comes first. Before, the trigger queued nothing for a
-- pull-only connection (20261124110000_outbox_skips_pull_only.sql, so that a switch would not
-- replay every edit ever made), and an edit HubSpot did not change afterwards stayed in the
-- app only, for good, with no word: no push, no conflict. The backlog is at most one entry per
-- edit, coalesced per record by the push (lib/crm/push/coalesce.ts), and compared field by
-- field with what was last synced (plan-push.ts), so an edit HubSpot's value has since
-- overwritten is not sent: the pull drops it from the outbox while the connection is pull-only
-- (dropOverwrittenEdits in lib/store/outbox.ts).
create or replace function private.outbox_connections(p_tenant uuid)
returns table (id uuid)
language sql stable security definer set search_path = ''
as $$
  select c.id from public.crm_connections c where c.tenant_id = p_tenant
$$;
revoke execute on function private.outbox_connections(uuid) from public, anon, authenticated;

-- Held too: every entry of a pull-only connection. The push reads none of them (it does not
-- run for such a connection anyway), and the leads list does not call them "waiting to sync".
create or replace function private.outbox_held(op text, changed_fields text[], settings jsonb) returns boolean
language sql immutable as $$
  select coalesce(settings->>'direction' = 'pull', false)
      or coalesce(op = 'update' and changed_fields <@ array['company_id'] and settings->'entities'->>'company' = 'false', false)
$$;
