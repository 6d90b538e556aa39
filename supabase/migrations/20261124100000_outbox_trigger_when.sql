-- The sync's own writes skip the outbox trigger in its WHEN clause, evaluated by the
-- executor, instead of entering plpgsql for every row a pull writes (the backfill's
-- hottest path). The function keeps its own check for callers of older triggers.
create or replace trigger contacts_capture_crm_change
  after insert or update or delete on public.contacts
  for each row when (current_setting('syncline.writer', true) is distinct from 'sync')
  execute function private.capture_crm_change('contact');
create or replace trigger companies_capture_crm_change
  after insert or update or delete on public.companies
  for each row when (current_setting('syncline.writer', true) is distinct from 'sync')
  execute function private.capture_crm_change('company');
create or replace trigger deals_capture_crm_change
  after insert or update or delete on public.deals
  for each row when (current_setting('syncline.writer', true) is distinct from 'sync')
  execute function private.capture_crm_change('deal');
