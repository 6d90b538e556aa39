-- The dashboard shows, per object type, the last sync (initial, manual, cron, cli) and,
-- apart from it, what real-time webhooks applied recently. Webhook applies write a run
-- each, far more often than syncs, so each kind gets its own index: the last sync is one
-- probe however many webhook runs there are, and the recent webhook runs are a range.
create index if not exists sync_runs_sync_latest_idx
  on public.sync_runs (connection_id, object_type, started_at desc) where trigger <> 'webhook';
create index if not exists sync_runs_webhook_recent_idx
  on public.sync_runs (connection_id, object_type, started_at desc) where trigger = 'webhook';

-- Pruning (lib/store/retention.ts) deletes processed webhook events by age.
create index if not exists webhook_events_processed_idx
  on public.webhook_events (processed_at) where processed_at is not null;
