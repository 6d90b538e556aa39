-- A record that keeps failing to write is read again with backoff rather than on every
-- run: the next run after its first failure, then 1, 2, 4 … hours after each further one,
-- at most a day apart. It is never given up: the day's read costs a hundredth of one
-- batch call, and the record stays listed on the dashboard with its reason until it goes in.
alter table public.sync_retries add column if not exists next_attempt_at timestamptz not null default now();
create index if not exists sync_retries_due_idx on public.sync_retries (connection_id, object_type, next_attempt_at);
