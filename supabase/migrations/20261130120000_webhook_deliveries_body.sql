-- The ack path stores a delivery's verified body as received, deflated (~2 kB for 100
-- events, against ~60 kB of prepared events before: each carried its key, type, object id
-- and time beside a copy of the event). The processor inflates it and derives those
-- (lib/store/webhook-events.ts). `events` stays readable for rows an older instance
-- writes during a deploy; new rows leave it null.
alter table public.webhook_deliveries add column if not exists body bytea;
-- Already compressed: stored as is, never run through pglz.
alter table public.webhook_deliveries alter column body set storage external;
alter table public.webhook_deliveries alter column events drop not null;
