-- The app's own tables. Manual leads live here too (source = 'manual'); records
-- that came from a CRM keep the CRM metadata the dashboard shows.

create table if not exists public.owners (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  connection_id uuid not null references public.crm_connections (id) on delete cascade,
  remote_id text not null,
  email text,
  first_name text,
  last_name text,
  user_id text,
  archived_at timestamptz,
  remote_updated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (connection_id, remote_id)
);
create index if not exists owners_tenant_idx on public.owners (tenant_id);

create table if not exists public.companies (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text,
  domain text,
  phone text,
  industry text,
  city text,
  country text,
  description text,
  owner_id uuid references public.owners (id) on delete set null,
  owner_email text,
  last_activity_at timestamptz,
  source text not null default 'manual' check (source in ('manual', 'crm', 'import')),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists companies_tenant_idx on public.companies (tenant_id);
create index if not exists companies_domain_idx on public.companies (tenant_id, lower(domain));

create table if not exists public.contacts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  email text,
  phone text,
  first_name text,
  last_name text,
  job_title text,
  company_name text,
  company_id uuid references public.companies (id) on delete set null,
  lifecycle_stage text,
  lead_status text,
  description text,
  owner_id uuid references public.owners (id) on delete set null,
  owner_email text,
  last_activity_at timestamptz,
  lead_source_system text,
  source text not null default 'manual' check (source in ('manual', 'crm', 'import')),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (phone is null or phone ~ '^\+[1-9][0-9]{6,14}$')
);
create index if not exists contacts_tenant_idx on public.contacts (tenant_id, created_at desc);
create index if not exists contacts_email_idx on public.contacts (tenant_id, lower(email));
create index if not exists contacts_phone_idx on public.contacts (tenant_id, phone);

create table if not exists public.deals (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text,
  amount numeric,
  stage text,
  pipeline text,
  close_date timestamptz,
  description text,
  company_id uuid references public.companies (id) on delete set null,
  owner_id uuid references public.owners (id) on delete set null,
  owner_email text,
  last_activity_at timestamptz,
  source text not null default 'manual' check (source in ('manual', 'crm', 'import')),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists deals_tenant_idx on public.deals (tenant_id);

create table if not exists public.deal_contacts (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  deal_id uuid not null references public.deals (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  primary key (deal_id, contact_id)
);
create index if not exists deal_contacts_contact_idx on public.deal_contacts (contact_id);
