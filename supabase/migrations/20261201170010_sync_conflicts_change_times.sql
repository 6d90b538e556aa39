-- When each side last changed the conflicting fields, as the sync saw them: a conflict
-- decided later by "the newer edit wins" (when a connection leaves manual review) compares
-- these, not the app row's updated_at, which every pull that writes the row moves to the
-- time of that pull. Null for conflicts opened before this column: the record's times then.
alter table public.sync_conflicts
  add column if not exists local_changed_at timestamptz,
  add column if not exists remote_changed_at timestamptz;
