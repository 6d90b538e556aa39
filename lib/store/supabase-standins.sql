-- Minimal stand-ins for what Supabase provides, created only where absent, so the
-- same migrations run on embedded PGlite and on a plain Postgres server.
-- On Supabase every object below already exists and nothing here touches it: each is looked
-- for first, and created (and granted) only when missing. Supabase's migrating role may not
-- create anything in the auth schema (since 2025-04-21), and Postgres checks that right before
-- it looks for the object, so even `create table if not exists auth.users` of a table that
-- exists is refused there ("permission denied for schema auth").
-- https://supabase.com/changelog/34270-restricting-access-on-auth-storage-and-realtime-schemas-on-april-21-2025
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

do $$
begin
  -- Supabase installs extensions (pg_trgm) in their own schema; migrations name it.
  if not exists (select 1 from pg_namespace where nspname = 'extensions') then
    create schema extensions;
  end if;
  if not exists (select 1 from pg_namespace where nspname = 'auth') then
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;
  end if;
  if to_regclass('auth.users') is null then
    create table auth.users (
      id uuid primary key,
      email text
    );
  end if;
  if not exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'auth' and p.proname = 'uid') then
    -- Same contract as Supabase's: the `sub` claim of the request's JWT.
    create function auth.uid() returns uuid language sql stable as $f$
      select nullif(coalesce(current_setting('request.jwt.claim.sub', true),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')), '')::uuid
    $f$;
    grant execute on function auth.uid() to anon, authenticated, service_role;
  end if;
end
$$;
