-- A record with no owner here reads the owner the CRM named that is not in the app yet from
-- crm_pending_refs (lib/store/records.ts loadLocalRecords), so that emptiness is not taken
-- for the app clearing its owner. The table's key leads with the referenced id, which that
-- read does not know: without this index it scanned every pending owner of the connection
-- for each record (a connection synced without its owners has one per record).
create index if not exists crm_pending_refs_record_idx on public.crm_pending_refs (connection_id, object_type, local_id);
