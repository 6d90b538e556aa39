import { bearerMatches } from '@/lib/auth/bearer'
import { syncDueConnections } from '@/lib/crm/cron'
import { env } from '@/lib/env'
import { HttpError, route } from '@/lib/http'
import { getSql } from '@/lib/store/db'

// Vercel cron (vercel.json, hourly) sends `Authorization: Bearer $CRON_SECRET`.
// https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs
export const maxDuration = 300
export const dynamic = 'force-dynamic'

export const GET = route(async (req: Request) => {
  if (!bearerMatches(req.headers.get('authorization'), env().CRON_SECRET)) {
    throw new HttpError(401, 'unauthorized', 'Send Authorization: Bearer $CRON_SECRET')
  }
  const report = await syncDueConnections(await getSql(), { budgetMs: maxDuration * 1000 })
  return Response.json(report)
})
