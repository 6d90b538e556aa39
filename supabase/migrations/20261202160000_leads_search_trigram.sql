-- The dashboard's leads search (lib/store/dashboard.ts leadMatch) finds a text anywhere in a
-- contact's email, name or company, case-insensitively (`ilike '%…%'`), which no b-tree can
-- answer: at 1,000,000 contacts every search read every contact of the tenant, 1.5–3.5 s a
-- render on PGlite and Postgres 15. pg_trgm's GIN indexes answer `ilike` by the pattern's
-- three-letter pieces. One index over the contact's own fields joined by spaces (a match in
-- any of them is a match in it, so the query uses it as a prefilter and keeps its exact test),
-- and one over companies.name (for the company a contact is associated with).
-- https://www.postgresql.org/docs/15/pgtrgm.html#PGTRGM-INDEX
--
-- Where the extension lives: Supabase keeps extensions in the `extensions` schema (its
-- dashboard installs them there; https://supabase.com/docs/guides/database/extensions), and
-- the stand-ins (lib/store/supabase-standins.sql) create that schema on PGlite and a plain
-- server. An installation that already has pg_trgm in another schema keeps it: the operator
-- class is named from wherever it is. PGlite bundles it into the instance
-- (lib/store/pglite-create.ts). The indexes use only pg_catalog's `~~*` (ilike), so the
-- queries need no search_path.
create extension if not exists pg_trgm with schema extensions;

do $$
declare
  s text := (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm');
begin
  -- The expression must stay exactly as leadMatch writes it, or the planner cannot use it.
  execute format($i$create index if not exists contacts_search_idx on public.contacts using gin
    ((coalesce(email, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(company_name, '')) %I.gin_trgm_ops)$i$, s);
  execute format('create index if not exists companies_name_trgm_idx on public.companies using gin (name %I.gin_trgm_ops)', s);
end
$$;
