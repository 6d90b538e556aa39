-- When the sync lease's holder last took or renewed it. A holder renews after each batch
-- it commits, so a lease not renewed for a while belongs, most likely, to a run whose
-- process ended (a crash, a kill, a restart) and that is waiting out its expiry: Refresh
-- CRM then says so, and when the connection can sync again, instead of "already running".
alter table public.crm_connections add column if not exists sync_lease_renewed_at timestamptz;
