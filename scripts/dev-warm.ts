// `next dev` compiles a page on its first request, so whoever opened the dashboard first
// waited ~4 s for it (Turbopack, 2 cores) while the terminal already said "Ready". This asks
// for the dashboard and its status route as soon as the server answers, so they are compiled
// while the newcomer is still reading the terminal, and prints one line once they are.
// https://nextjs.org/docs/app/api-reference/cli/next#next-dev-options

export interface WarmUpOptions {
  /** The app's origin, e.g. http://localhost:3000. */
  origin: string
  /** Paths asked for in order once the server answers: the dashboard first, then what it polls. */
  paths: readonly string[]
  signal: AbortSignal
  /** Between attempts while the server does not answer yet. */
  retryMs?: number
  log?: (line: string) => void
}

/** The server's HTTP status for `url`, or null while it does not answer (a 307 to /login counts: that page is compiled too). */
async function answered(url: string, signal: AbortSignal): Promise<number | null> {
  try {
    // Redirects are not followed: the page asked for is what gets compiled.
    const res = await fetch(url, { redirect: 'manual', signal })
    await res.arrayBuffer()
    return res.status
  } catch {
    return null
  }
}

/**
 * Asks for each path once the server answers; gives up quietly when stopped. Resolves with
 * the paths that answered (for the line, and the tests). A path that fails is skipped: the
 * page then compiles on its first real request, as it did before.
 */
export async function warmUp(opts: WarmUpOptions): Promise<string[]> {
  const started = performance.now()
  const retryMs = opts.retryMs ?? 250
  const [first, ...rest] = opts.paths
  if (first === undefined) return []
  const warmed: string[] = []
  let dashboard: number | null = null
  // Until `next dev` listens, a fetch fails at once (connection refused): try again.
  while (!opts.signal.aborted) {
    dashboard = await answered(opts.origin + first, opts.signal)
    if (dashboard !== null) {
      warmed.push(first)
      break
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs).unref())
  }
  for (const path of rest) {
    if (opts.signal.aborted) break
    if ((await answered(opts.origin + path, opts.signal)) !== null) warmed.push(path)
  }
  if (!opts.signal.aborted && dashboard !== null) {
    // A 5xx is the page failing (a compile error, a crash while rendering), not compiled and
    // working: it said "compiled, open it" over Next's error above it.
    opts.log?.(dashboard >= 500
      ? `▸ The dashboard answered ${dashboard}: its error is above. Open ${opts.origin} once it is mended; it compiles again then.`
      : `▸ Dashboard compiled: open ${opts.origin} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  return warmed
}
