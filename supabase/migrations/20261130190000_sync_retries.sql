-- CRM records a pull could not write (a bad value, a constraint the app added), kept so
-- the next incremental run reads them again by id: the watermark has moved past them, so
-- without this they would wait for their next edit in the CRM or a full sync. A record
-- that goes in, or is gone from the CRM, leaves this table.
create table if not exists public.sync_retries (
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('contact', 'company', 'deal')),
  remote_id text not null,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  error text not null,
  attempts integer not null default 1,
  first_failed_at timestamptz not null default now(),
  last_failed_at timestamptz not null default now(),
  primary key (connection_id, object_type, remote_id)
);
create index if not exists sync_retries_tenant_idx on public.sync_retries (tenant_id);

alter table public.sync_retries enable row level security;
revoke all on table public.sync_retries from anon, authenticated;
drop policy if exists tenant_isolation on public.sync_retries;
create policy tenant_isolation on public.sync_retries for all to authenticated
  using (tenant_id in (select private.user_tenant_ids()))
  with check (tenant_id in (select private.user_tenant_ids()));
grant select on public.sync_retries to authenticated;
