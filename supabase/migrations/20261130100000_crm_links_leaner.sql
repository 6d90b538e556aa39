-- crm_links is written once per synced record, as often as the record table itself, so
-- what each row costs to insert matters (a 100,000-contact backfill writes 100,000 links).
-- Three things it carried added work to every insert and bought nothing:
--  * the surrogate `id` (a sequence draw and a fourth index): every lookup and every
--    upsert is by (connection, type, remote id) or (connection, type, local id);
--  * the foreign key to tenants (a row lock on the tenant per insert): the connection's
--    foreign key already ties a link to its tenant, and deleting a tenant deletes its
--    connections, which deletes their links;
--  * the index on tenant_id, which served only that cascade.
alter table public.crm_links drop constraint if exists crm_links_tenant_id_fkey;
drop index if exists public.crm_links_tenant_idx;
alter table public.crm_links drop constraint if exists crm_links_pkey;
alter table public.crm_links drop column if exists id;
alter table public.crm_links drop constraint if exists crm_links_connection_id_object_type_remote_id_key;
alter table public.crm_links add primary key (connection_id, object_type, remote_id);
