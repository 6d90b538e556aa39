-- The dashboard's leads table lists a tenant's contacts most recently changed first, and its
-- poller asks every 5 s whether any lead was written since (lib/store/dashboard.ts
-- latestLeadChange). Without an index on that order both read every contact of the tenant:
-- at 1,000,000 contacts ~1–3 s for the table's page and ~0.4 s a poll (PGlite and Postgres
-- 15), and on the embedded database, which has one backend, a sync waits meanwhile. With it
-- each is a short index scan. It costs one more index entry a contact written.
create index if not exists contacts_recent_idx on public.contacts (tenant_id, updated_at desc, id);
