-- Webhooks: an explicit "off" per connection, and the indexes the inbox's status reads use.

-- Set by disable-webhooks, cleared by enable-webhooks. A HubSpot app's subscriptions cover
-- every portal that installed it, so a disabled connection must ignore deliveries itself.
alter table public.crm_connections add column if not exists webhooks_disabled_at timestamptz;

-- Pending events in arrival order, per connection, for the processor and the status counts.
create index if not exists webhook_events_unprocessed_idx on public.webhook_events (connection_id, attempts, id)
  where processed_at is null;
