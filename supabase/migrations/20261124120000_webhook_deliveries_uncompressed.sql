-- A delivery's events (~30 kB for 100 events) are written once and read once, within
-- seconds: compressing them on the ack path costs more CPU than the bytes are worth
-- (in WASM Postgres especially). Stored out of line, uncompressed.
alter table public.webhook_deliveries alter column events set storage external;
