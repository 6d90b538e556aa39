-- The identity map and the sync bookkeeping.

-- One row per (connection, object type, remote record) <-> local record. The two
-- unique constraints are what make duplicates impossible: a remote record links to
-- one local record, and a local record to one remote record, per connection.
create table if not exists public.crm_links (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('contact', 'company', 'deal')),
  local_id uuid not null,
  remote_id text not null,
  remote_updated_at timestamptz,
  -- Hash of the normalized content last synced in either direction, and per field,
  -- so an echo of our own write is recognised by content, not by origin.
  synced_hash text,
  field_hashes jsonb not null default '{}'::jsonb,
  last_direction text check (last_direction in ('pull', 'push')),
  last_synced_at timestamptz,
  sync_version integer not null default 1,
  origin text not null check (origin in ('crm', 'app')),
  match_reason text not null check (match_reason in ('link', 'email', 'phone', 'created', 'pushed')),
  archived_at timestamptz,
  unique (connection_id, object_type, remote_id),
  unique (connection_id, object_type, local_id)
);
create index if not exists crm_links_tenant_idx on public.crm_links (tenant_id);

-- Per connection and object type: where the last run stopped. Parsed with zod.
create table if not exists public.sync_cursors (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('contact', 'company', 'deal', 'owner')),
  checkpoint jsonb not null default '{}'::jsonb,
  initial_done boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (connection_id, object_type)
);
create index if not exists sync_cursors_tenant_idx on public.sync_cursors (tenant_id);

create table if not exists public.sync_runs (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  run_group uuid not null,
  object_type text not null check (object_type in ('contact', 'company', 'deal', 'owner')),
  trigger text not null check (trigger in ('initial', 'manual', 'cron', 'webhook', 'cli')),
  status text not null check (status in ('running', 'success', 'partial', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  duration_ms integer,
  fetched integer not null default 0,
  created integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  archived integer not null default 0,
  skipped integer not null default 0,
  failed integer not null default 0,
  pushed integer not null default 0,
  echoes_suppressed integer not null default 0,
  conflicts integer not null default 0,
  api_calls integer not null default 0,
  errors jsonb not null default '[]'::jsonb,
  error text
);
create index if not exists sync_runs_connection_idx on public.sync_runs (connection_id, started_at desc);
create index if not exists sync_runs_tenant_idx on public.sync_runs (tenant_id);

-- Idempotent inbox: a redelivered event hits the unique key and is a no-op.
create table if not exists public.webhook_events (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  event_key text not null,
  subscription_type text not null,
  object_type text,
  object_id text,
  occurred_at timestamptz not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  attempts integer not null default 0,
  error text,
  unique (connection_id, event_key)
);
create index if not exists webhook_events_pending_idx on public.webhook_events (connection_id, id)
  where processed_at is null;
create index if not exists webhook_events_tenant_idx on public.webhook_events (tenant_id);

-- Local changes waiting to be pushed, one row per connection; filled by the trigger.
create table if not exists public.crm_outbox (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('contact', 'company', 'deal')),
  local_id uuid not null,
  op text not null check (op in ('insert', 'update', 'delete')),
  changed_fields text[] not null default '{}',
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text,
  next_attempt_at timestamptz
);
create index if not exists crm_outbox_pending_idx on public.crm_outbox (connection_id, object_type, id);
create index if not exists crm_outbox_tenant_idx on public.crm_outbox (tenant_id);

create table if not exists public.sync_conflicts (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('contact', 'company', 'deal')),
  local_id uuid not null,
  remote_id text not null,
  fields text[] not null,
  local_snapshot jsonb not null,
  remote_snapshot jsonb not null,
  status text not null default 'open' check (status in ('open', 'resolved', 'dismissed')),
  resolution jsonb,
  created_at timestamptz not null default now(),
  resolved_at timestamptz
);
-- One open conflict per record; a newer divergence updates it.
create unique index if not exists sync_conflicts_open_idx
  on public.sync_conflicts (connection_id, object_type, local_id) where status = 'open';
create index if not exists sync_conflicts_tenant_idx on public.sync_conflicts (tenant_id);
