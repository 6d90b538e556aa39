-- A record's reference that was not resolved when the record was written: a contact whose
-- company, a record whose owner, or a deal whose contact was not in the app yet (created in
-- the CRM after the run's phase for that type, or delivered by webhook ahead of it).
-- Written only for such references, so the table stays small; when the company, owner or
-- contact arrives, its rows are taken and the records waiting for it are linked
-- (lib/store/records.ts: linkArrived, linkArrivedDealContacts), without scanning the
-- record tables.
create table if not exists public.crm_pending_refs (
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  kind text not null check (kind in ('company', 'owner', 'contact')),
  -- The company's, owner's or contact's id in the CRM.
  remote_id text not null,
  -- The record waiting for it.
  object_type text not null check (object_type in ('company', 'contact', 'deal')),
  local_id uuid not null,
  tenant_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (connection_id, kind, remote_id, object_type, local_id)
);

-- The sync's own bookkeeping: no client reads it.
alter table public.crm_pending_refs enable row level security;
revoke all on table public.crm_pending_refs from anon, authenticated;
