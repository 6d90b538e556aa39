-- CRM ids merged into another record, per connection and object type. HubSpot keeps the
-- survivor's id and answers reads of a merged-away id with the survivor, but its search
-- index can still return the merged-away record as it was for a while after the merge. A
-- sync that had followed the merge (its link moved to the survivor or dropped) then found
-- an id it no longer knew and imported it again: a duplicate, whose later edit or delete the
-- push sent to the merged-away id, which HubSpot applies to the survivor. A merged-away id
-- is remembered here when the merge is followed (lib/crm/pull/merges.ts) and never
-- imported or linked again.
create table if not exists public.crm_merged_away (
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  object_type text not null check (object_type in ('company', 'contact', 'deal')),
  remote_id text not null,
  survivor_remote_id text not null,
  tenant_id uuid not null,
  merged_at timestamptz not null default now(),
  primary key (connection_id, object_type, remote_id)
);

-- The sync's own bookkeeping: no client reads it.
alter table public.crm_merged_away enable row level security;
revoke all on table public.crm_merged_away from anon, authenticated;
