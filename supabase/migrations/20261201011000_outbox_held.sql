-- An outbox entry the push holds back: with a connection's companies off, a record's
-- company is the app's own (lib/crm/pull/apply-page.ts, PageContext.companies), so an
-- update that changes only the company waits until companies are turned on. The push's
-- read of the outbox and the leads list's "waiting to sync" both ask this.
create or replace function private.outbox_held(op text, changed_fields text[], settings jsonb) returns boolean
language sql immutable as $$
  select coalesce(op = 'update' and changed_fields <@ array['company_id'] and settings->'entities'->>'company' = 'false', false)
$$;
