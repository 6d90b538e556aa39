-- The ack path's inbox: one row per verified delivery (up to 100 prepared events), so
-- answering HubSpot costs one small insert instead of 100 index-maintained rows. The
-- processor expands deliveries into webhook_events, where the unique key dedupes them.
create table if not exists public.webhook_deliveries (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  -- [{k: event key, t: subscription type, o: object type, i: object id, at: occurredAt ms, p: payload}]
  events jsonb not null,
  event_count integer not null,
  received_at timestamptz not null default now()
);
create index if not exists webhook_deliveries_connection_idx on public.webhook_deliveries (connection_id, id);
create index if not exists webhook_deliveries_tenant_idx on public.webhook_deliveries (tenant_id);
-- Same rule as every tenant table (see 20261123180500_row_level_security.sql); users never
-- read raw deliveries.
alter table public.webhook_deliveries enable row level security;
revoke all on table public.webhook_deliveries from anon, authenticated;
drop policy if exists tenant_isolation on public.webhook_deliveries;
create policy tenant_isolation on public.webhook_deliveries for all to authenticated
  using (tenant_id in (select private.user_tenant_ids()))
  with check (tenant_id in (select private.user_tenant_ids()));

drop index if exists public.webhook_events_unprocessed_idx;
