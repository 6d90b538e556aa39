-- The outbox by record: the dashboard marks each listed lead that has a change waiting to
-- be pushed, and a deal pull asks which deals have unpushed contact edits. Both look up a
-- handful of records in an outbox that a bulk edit in the app can fill with many rows.
create index if not exists crm_outbox_local_idx on public.crm_outbox (local_id);
