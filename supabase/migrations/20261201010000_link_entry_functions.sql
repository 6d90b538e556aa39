-- How SQL reads the link entries that name other CRM records (the format is
-- lib/crm/reference-entry.ts's and lib/crm/deal-contacts.ts's): a reference kept as the id
-- itself ("@company:#4711", "ownerRemoteId:#99") and a deal's contact list
-- ("@contacts:=101.102"). The pending-reference, merge and prune statements share these
-- instead of each spelling the format out. Plain SQL expressions, so Postgres inlines them.

-- Whether `field_hashes` keeps `entry` as a reference to `remote_id`.
create or replace function private.entry_names(field_hashes text, entry text, remote_id text) returns boolean
language sql immutable as $$
  select position(',' || entry || ':#' || remote_id || ',' in ',' || field_hashes || ',') > 0
$$;

-- The contacts a deal's '@contacts' entry lists; empty when it lists none or keeps a hash.
create or replace function private.listed_contacts(field_hashes text) returns text[]
language sql immutable as $$
  select coalesce(string_to_array(substring(field_hashes from '(?:^|,)@contacts:=([A-Za-z0-9_.-]*)'), '.'), '{}')
$$;
