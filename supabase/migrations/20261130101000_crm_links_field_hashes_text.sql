-- Per-field hashes as compact text ("email:80af5110be0d,phone:empty,…") instead of jsonb.
-- They are written for every synced record, and jsonb's parsing and wider rows made the
-- link the costlier of a backfill's two writes (embedded PGlite, 20,000 links: 1,061 ms
-- as jsonb, 766 ms as text). Keys are field names (letters, '@'); values are hex hashes or
-- 'empty' — neither ever holds ',' or ':'. lib/store/links.ts reads and writes the format.
do $$
begin
  if (select data_type from information_schema.columns
       where table_schema = 'public' and table_name = 'crm_links' and column_name = 'field_hashes') = 'jsonb' then
    create function private.field_hashes_text(h jsonb) returns text language sql immutable as
      $f$ select coalesce(string_agg(key || ':' || value, ',' order by key), '') from jsonb_each_text(h) $f$;
    alter table public.crm_links alter column field_hashes drop default;
    alter table public.crm_links alter column field_hashes type text using private.field_hashes_text(field_hashes);
    alter table public.crm_links alter column field_hashes set default '';
    drop function private.field_hashes_text(jsonb);
  end if;
end $$;

-- `patch`'s entries win over `current`'s (a person's review decision recorded on the link).
create or replace function private.merge_field_hashes(current_hashes text, patch text) returns text
language sql immutable as $$
  select coalesce(string_agg(k || ':' || v, ',' order by k), '')
    from (select distinct on (k) k, v
            from (select split_part(e, ':', 1) as k, split_part(e, ':', 2) as v, 0 as rank
                    from unnest(string_to_array(nullif(patch, ''), ',')) as e
                  union all
                  select split_part(e, ':', 1), split_part(e, ':', 2), 1
                    from unnest(string_to_array(nullif(current_hashes, ''), ',')) as e) entries
           order by k, rank) merged
$$;
