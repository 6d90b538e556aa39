-- HubSpot does not move a record's last-modified time when only its associations change
-- (a rep moves a contact to another company), so the incremental search never finds such
-- a change; webhooks do, when they are on. As a net under them, the sync re-reads the
-- associations of every linked contact and deal once a day (lib/crm/pull/association-check.ts):
-- when it last finished, and how far an unfinished one got (a remote id; links are walked
-- in remote-id order), per connection and object type.
alter table public.sync_cursors
  add column if not exists associations_checked_at timestamptz,
  add column if not exists associations_after text;
