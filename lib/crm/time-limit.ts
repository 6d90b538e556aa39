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
  const stop = new AbortController()
  abortAfter(stop, Math.max(0, budgetMs - stopMarginMs(budgetMs)))
  return stop.signal
}

/**
 * Aborts `stop` as a time limit (a TimeoutError, which stopReason words) after `ms`. A plain
 * timer that holds the controller, rather than AbortSignal.timeout: Node's timeout signal is
 * held weakly by its timer, and one that only AbortSignal.any holds can be collected before
 * it fires (nodejs/node#57736; a CI run of the CLI's --max-seconds hit it). Unref'd: it never
 * keeps a process alive by itself.
 */
export function abortAfter(stop: AbortController, ms: number): void {
  setTimeout(() => stop.abort(new DOMException(`${ms} ms passed`, 'TimeoutError')), ms).unref()
}

/** Why an aborted signal stopped a run or a drain, in words for the dashboard. */
export function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  if (reason instanceof Error && reason.name === 'TimeoutError') return 'stopped at the time limit'
  if (typeof reason === 'string') return reason
  return reason instanceof Error && reason.name !== 'AbortError' ? reason.message : 'stopped on request'
}
