import type { Flag } from '../scripts/cli-args'

// `npm run bench`'s flags, for every mode: each mode reads its own (bench/run.ts, push-mode.ts,
// webhooks-mode.ts) and ignores the others'.

export const BENCH_FLAGS: Record<string, Flag> = {
  mode: { type: 'string' }, contacts: { type: 'string' }, tier: { type: 'string' }, 'naive-max': { type: 'string' },
  'extra-properties': { type: 'string' }, edits: { type: 'string' }, rps: { type: 'string' }, seconds: { type: 'string' },
  json: { type: 'boolean' },
}

export const BENCH_USAGE = `Usage: npm run bench -- [--mode backfill|push|webhooks] [flags]

  backfill (the default): the sandbox unthrottled, the engine, raw COPY and the naive baseline
    --contacts N            contacts in the portal (100–2,000,000; default 100,000)
    --tier T                free | pro | enterprise | off: the rate limit of the timed tier run (default pro)
    --naive-max N           records for the naive baseline (default 20,000)
    --extra-properties N    custom contact properties read as extra properties (0–50; default 0)
  push: the app's rows to HubSpot
    --contacts N            (100–1,000,000; default 20,000)   --tier T (default pro)
  webhooks: freshness and acknowledgement latency under load
    --edits N (1–1,000; default 100)   --rps R (1–1,000; default 500)   --seconds S (1–20; default 5)
  --json                    one JSON object on stdout instead of the table

BENCH_DATABASE_URL: a Postgres server to use instead of the embedded one (its own process).`
