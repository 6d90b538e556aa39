-- The connection's extra properties (settings.extraProperties) that the CRM no longer has,
-- per object type, as the last read of the portal's properties found them: HubSpot's
-- record reads ignore a property that was deleted, so its values would silently stop
-- arriving. The dashboard names them; saving that type's list again clears its entry.
-- Shape: {"contact": ["favourite_colour"]}; a type with none has no key.
alter table public.crm_connections add column if not exists extra_properties_missing jsonb not null default '{}'::jsonb;

-- Those reads are now per object type (companies and deals are read for their extra
-- properties; a run may sync one type alone), so when each type was last read is too:
-- {"contact": "2026-12-01T12:00:00+00:00"}.
alter table public.crm_connections add column if not exists properties_read_at jsonb not null default '{}'::jsonb;
update public.crm_connections set properties_read_at = jsonb_build_object('contact', field_options_read_at)
 where field_options_read_at is not null;
alter table public.crm_connections drop column if exists field_options_read_at;
