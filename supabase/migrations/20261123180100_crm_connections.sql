-- One row per CRM account a tenant has connected.
create table if not exists public.crm_connections (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  provider text not null check (provider in ('hubspot', 'salesforce', 'pipedrive', 'zoho')),
  -- How an access token is obtained: from Nango, from our own OAuth tokens
  -- (encrypted at rest), or a private-app token (encrypted at rest).
  auth_method text not null check (auth_method in ('nango', 'oauth', 'private_app')),
  nango_connection_id text,
  nango_provider_config_key text,
  credentials_encrypted text,
  token_expires_at timestamptz,
  portal_id text,
  api_base_url text,
  label text,
  status text not null default 'active'
    check (status in ('active', 'paused', 'needs_reauth', 'disconnected', 'error')),
  status_reason text,
  -- direction, conflict strategy, source priority, entity toggles, field mappings,
  -- default phone country, frequency: parsed with zod in lib/crm/settings.ts.
  settings jsonb not null default '{}'::jsonb,
  next_sync_at timestamptz,
  last_synced_at timestamptz,
  -- The lease that keeps one sync run at a time per connection. A row lease (not an
  -- advisory lock) because Supabase's transaction pooler does not keep advisory locks.
  sync_lease_owner text,
  sync_lease_until timestamptz,
  webhooks_enabled boolean not null default false,
  webhook_total_received bigint not null default 0,
  webhook_last_received_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (auth_method <> 'nango' or nango_connection_id is not null)
);
create index if not exists crm_connections_tenant_idx on public.crm_connections (tenant_id);
create index if not exists crm_connections_portal_idx on public.crm_connections (provider, portal_id);
create index if not exists crm_connections_due_idx on public.crm_connections (next_sync_at)
  where status = 'active';
