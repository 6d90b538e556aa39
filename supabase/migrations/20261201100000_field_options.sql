-- The portal's own options (value → label) for the enumerated fields the dashboard shows
-- (a contact's lifecycle stage and lead status), read from the CRM at most once a day by a
-- sync: a portal's custom stages have internal values (often numbers) a person cannot read.
-- Shape: {"contact": {"lifecycleStage": [{"value", "label", "hidden"}], "leadStatus": [...]}}.
alter table public.crm_connections add column if not exists field_options jsonb;
alter table public.crm_connections add column if not exists field_options_read_at timestamptz;
