// Serverless platforms end a function at its time limit (Vercel: the route's maxDuration,
// 300 s by default: https://vercel.com/docs/functions/limitations). A sync that is simply
// cut off loses nothing (each batch commits with its cursor), but it leaves its run rows
// open and its lease held. Given a signal that fires a little before the limit, a run
// stops between batches instead, closes its rows and lets go of the lease (see
// SyncOptions.signal), and stopReason says why in words.

/** How long before a time limit a run is asked to stop: room for the batch in flight to commit and the run to close. */
export function stopMarginMs(budgetMs: number): number {
  return Math.min(30_000, Math.round(budgetMs / 10))
}

/** A signal that fires stopMarginMs before a limit of `budgetMs` from now. */
export function timeLimitSignal(budgetMs: number): AbortSignal {
  return AbortSignal.timeout(Math.max(0, budgetMs - stopMarginMs(budgetMs)))
}

/** Why an aborted signal stopped a run or a drain, in words for the dashboard. */
export function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  if (reason instanceof Error && reason.name === 'TimeoutError') return 'stopped at the time limit'
  if (typeof reason === 'string') return reason
  return reason instanceof Error && reason.name !== 'AbortError' ? reason.message : 'stopped on request'
}
