-- Runs still marked running: every sync and webhook drain looks for ones a dead process
-- left open (closeInterruptedRuns in lib/store/runs.ts), and the cron for all of them. A
-- connection's history holds a run per webhook drain; this index holds only open runs,
-- so the lookup stays one small probe however long the history grows.
create index if not exists sync_runs_running_idx on public.sync_runs (connection_id) where status = 'running';
