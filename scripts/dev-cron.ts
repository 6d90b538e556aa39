import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { counted } from '../lib/counted'

// `npm run dev` runs no Vercel cron, so without this the hourly scheduled syncs, the
// leftover webhook drains and the history pruning that /api/cron/sync-crm does never
// happened locally. This calls that same route on vercel.json's schedule with the same
// `Authorization: Bearer $CRON_SECRET` Vercel sends, so its auth path runs too.
// https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs

/** SYNCLINE_DEV_CRON: unset or `on` runs it, `off` does not. */
export function devCronEnabled(value = process.env.SYNCLINE_DEV_CRON): boolean {
  const parsed = z.enum(['on', 'off']).safeParse(value === undefined || value === '' ? 'on' : value.trim().toLowerCase())
  if (!parsed.success) throw new Error(`SYNCLINE_DEV_CRON must be "on" or "off", not "${value}"`)
  return parsed.data === 'on'
}

/** The secret the app checks: CRON_SECRET if set, else one made for this `npm run dev`. */
export const devCronSecret = (configured = process.env.CRON_SECRET) => configured || randomBytes(24).toString('base64url')

// What the route answers (lib/crm/cron.ts CronReport), read only as far as the line needs.
const CronReport = z.object({
  interrupted: z.number().nullable(),
  due: z.number(),
  results: z.array(z.object({ status: z.string() })),
  deferred: z.array(z.string()),
  webhooks: z.array(z.object({ status: z.string(), events: z.number() })),
  pruned: z.record(z.string(), z.number()).nullable(),
})

/** One short line: what the cron did. */
export function describeCronReport(body: unknown): string {
  const r = CronReport.safeParse(body)
  if (!r.success) return 'answered with a report it could not read'
  const { due, results, deferred, webhooks, interrupted, pruned } = r.data
  const byStatus = new Map<string, number>()
  for (const x of results) byStatus.set(x.status, (byStatus.get(x.status) ?? 0) + 1)
  const parts = [due === 0 ? 'no connection due' : `synced ${results.length} of ${counted(due, 'due connection')} (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(', ')})`]
  if (deferred.length) parts.push(`${deferred.length} left for the next run`)
  const failedDrain = (w: { status: string }) => w.status === 'failed' || w.status === 'error'
  const events = webhooks.filter((w) => !failedDrain(w)).reduce((n, w) => n + w.events, 0)
  if (events) parts.push(`applied ${counted(events, 'waiting webhook event')}`)
  const failedDrains = webhooks.filter(failedDrain).length
  if (failedDrains) parts.push(`${counted(failedDrains, 'webhook drain')} failed`)
  if (interrupted) parts.push(`closed ${counted(interrupted, 'interrupted run')}`)
  // leadCounts is tenants whose count rows were folded, not rows deleted.
  const removed = pruned ? Object.entries(pruned).reduce((n, [k, v]) => (k === 'leadCounts' ? n : n + v), 0) : 0
  if (removed) parts.push(`pruned ${counted(removed, 'old row')}`)
  return parts.join(' · ')
}

export interface DevCronOptions {
  /** The route, e.g. http://localhost:3000/api/cron/sync-crm. */
  url: string
  secret: string
  /** When it fires next after a time (nextFireAfter with vercel.json's schedule; tests pass a short interval). */
  nextFire: (after: Date) => Date
  log?: (line: string) => void
}

/** Calls the cron route on schedule until stopped; one line per call. A call still going when the next is due skips that one. */
export function startDevCron(opts: DevCronOptions): { stop: () => void } {
  const log = opts.log ?? ((line: string) => console.log(line))
  let timer: NodeJS.Timeout | undefined
  let inFlight = false
  let stopped = false
  const schedule = (after: Date) => {
    if (stopped) return
    const at = opts.nextFire(after)
    timer = setTimeout(() => void fire(at), Math.max(0, at.getTime() - Date.now()))
    timer.unref()
  }
  const fire = async (at: Date) => {
    // From now if the timer came late (a laptop asleep through the hour): one call, not a catch-up burst.
    schedule(new Date(Math.max(at.getTime(), Date.now())))
    const when = `${at.toISOString().slice(11, 16)} UTC`
    if (inFlight) return log(`▸ Cron ${when}: skipped, the last run is still going`)
    inFlight = true
    try {
      log(await callOnce(opts.url, opts.secret).then(
        (line) => `▸ Cron ${when}: ${line}`,
        (e: unknown) => `✗ Cron ${when}: ${e instanceof Error ? e.message : String(e)}`))
    } finally {
      inFlight = false
    }
  }
  schedule(new Date())
  return { stop: () => { stopped = true; clearTimeout(timer) } }
}

async function callOnce(url: string, secret: string): Promise<string> {
  let res: Response
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${secret}` } })
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause
    throw new Error(`could not reach ${url} (${cause?.code ?? cause?.message ?? String(e)})`)
  }
  if (res.status === 401) throw new Error(`${url} refused the secret (401): the app and npm run dev disagree on CRON_SECRET`)
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
  return describeCronReport(await res.json())
}
