-- Postgres indexes a foreign key's referenced side only; a query by the referencing column
-- reads the whole table. Each of these is read by one:
--  - company_id: deleting a company (on delete set null: `update contacts … where company_id
--    = $1`, then deals), a merge in HubSpot of two companies the app holds (merges.ts
--    followMergedRecord), and the leads search's contacts of the matching companies
--    (dashboard.ts leadMatch);
--  - owner_id: an owner's new email given to its records (owners.ts followOwnerEmails), and
--    deleting an owner (a connection deleted takes its owners, each setting owner_id null).
-- At 1,000,000 contacts each read every row (figures in bench/RESULTS.md, ninth session).
-- Partial: a row with no company or owner is never looked up by it, so it costs no entry.
create index if not exists contacts_company_idx on public.contacts (company_id) where company_id is not null;
create index if not exists deals_company_idx on public.deals (company_id) where company_id is not null;
create index if not exists contacts_owner_idx on public.contacts (owner_id) where owner_id is not null;
create index if not exists deals_owner_idx on public.deals (owner_id) where owner_id is not null;
create index if not exists companies_owner_idx on public.companies (owner_id) where owner_id is not null;
