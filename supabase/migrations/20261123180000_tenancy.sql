-- Tenants and who belongs to them. Every app table below carries tenant_id and is
-- guarded by RLS through private.user_tenant_ids(), so a Supabase client signed in
-- as a user sees only its own tenants' rows.
-- https://supabase.com/docs/guides/database/postgres/row-level-security

create schema if not exists private;

create table if not exists public.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);

create table if not exists public.tenant_members (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null,
  role text not null default 'member' check (role in ('owner', 'member')),
  created_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
-- The primary key does not index user_id, which every policy filters on.
create index if not exists tenant_members_user_id_idx on public.tenant_members (user_id);

-- security definer so policies can read tenant_members without granting it;
-- an empty search_path keeps it from being hijacked.
create or replace function private.user_tenant_ids()
returns setof uuid
language sql stable security definer set search_path = ''
as $$ select tenant_id from public.tenant_members where user_id = (select auth.uid()) $$;

-- The one workspace of the embedded (no Supabase Auth) mode.
insert into public.tenants (id, name)
values ('00000000-0000-0000-0000-000000000001', 'Local workspace')
on conflict (id) do nothing;
