import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

// When the deployed cron fires, worked out from vercel.json so `npm run dev` keeps the same
// hours. Vercel reads the schedule as cron syntax in UTC:
// https://vercel.com/docs/cron-jobs#cron-expressions
// Only what a schedule of ours needs is understood: minute and hour as `*`, a number, a
// comma list or a step (`*/15`); day, month and weekday as `*`. Anything else is refused
// at start-up rather than fired at the wrong time.

export interface CronSchedule {
  minutes: ReadonlySet<number>
  hours: ReadonlySet<number>
}

function field(text: string, max: number, name: string): Set<number> {
  const all = Array.from({ length: max + 1 }, (_, i) => i)
  const step = /^\*\/(\d+)$/.exec(text)
  if (text === '*') return new Set(all)
  if (step && Number(step[1]) > 0) return new Set(all.filter((i) => i % Number(step[1]) === 0))
  if (/^\d+(,\d+)*$/.test(text)) {
    const values = text.split(',').map(Number)
    if (values.every((v) => v <= max)) return new Set(values)
  }
  throw new Error(`cron schedule: the ${name} "${text}" is not understood by npm run dev's cron (use *, a number, a list or */n)`)
}

export function parseCronSchedule(schedule: string): CronSchedule {
  const parts = schedule.trim().split(/\s+/)
  if (parts.length !== 5) throw new Error(`cron schedule "${schedule}": expected five fields (minute hour day month weekday)`)
  if (parts.slice(2).some((p) => p !== '*')) throw new Error(`cron schedule "${schedule}": npm run dev's cron understands only * for day, month and weekday`)
  return { minutes: field(parts[0], 59, 'minute'), hours: field(parts[1], 23, 'hour') }
}

const MINUTE = 60_000

/** The first time strictly after `after` that the schedule fires (UTC, whole minutes). */
export function nextFireAfter(schedule: CronSchedule, after: Date): Date {
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE
  for (let i = 0; i <= 24 * 60; i++, t += MINUTE) {
    const d = new Date(t)
    if (schedule.minutes.has(d.getUTCMinutes()) && schedule.hours.has(d.getUTCHours())) return d
  }
  throw new Error('cron schedule: never fires') // unreachable: every field holds a value
}

const VercelJson = z.object({ crons: z.array(z.object({ path: z.string().startsWith('/'), schedule: z.string() })).default([]) })

/** The deployed cron that runs the syncs (vercel.json), if there is one. */
export function vercelSyncCron(root = process.cwd()): { path: string; schedule: string } | null {
  const json = VercelJson.parse(JSON.parse(fs.readFileSync(path.join(root, 'vercel.json'), 'utf8')))
  return json.crons.find((c) => c.path === '/api/cron/sync-crm') ?? null
}
