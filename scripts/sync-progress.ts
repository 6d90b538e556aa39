import cliProgress from 'cli-progress'
import type { SyncProgress } from '../lib/crm/sync-service'

/** A progress line per object type on a terminal (stderr, so --json stays clean). */
export function createProgress() {
  const bars = new cliProgress.MultiBar(
    { format: ' {type} | {fetched} fetched | {created} created | {updated} updated | {calls} API calls', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  const byType = new Map<string, cliProgress.SingleBar>()
  return {
    update(p: SyncProgress) {
      let bar = byType.get(p.objectType)
      if (!bar) byType.set(p.objectType, (bar = bars.create(0, 0, {})))
      bar.update(p.counts.fetched, { type: p.objectType.padEnd(8), fetched: p.counts.fetched, created: p.counts.created, updated: p.counts.updated, calls: p.counts.apiCalls })
    },
    stop: () => bars.stop(),
  }
}
