-- With a connection's companies off, the pull keeps a record's company as the app has it
-- and remembers the CRM's in the link ('@company:#<id>'), so the two may part while off
-- (a rep moves a contact to another company). A page that kept a CRM company this way
-- raises this flag; the first sync with companies on (lib/crm/pull/companies-on.ts) gives
-- those records the CRM's company, unless the app changed it itself, and lowers it.
alter table public.crm_connections add column if not exists companies_to_reconcile boolean not null default false;

-- The CRM id a link entry keeps as a reference ("@company:#4711" → '4711'); null when
-- the entry is absent, names none, or keeps an older link's hash. split_part, not a
-- regular expression: settling 100,000 contact links took 2.0–2.7 s with a regex, 0.22–0.30 s
-- with this (Postgres 15 and PGlite).
create or replace function private.entry_id(field_hashes text, entry text) returns text
language sql immutable as $$
  select nullif(split_part(split_part(',' || field_hashes || ',', ',' || entry || ':#', 2), ',', 1), '')
$$;
