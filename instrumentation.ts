// Next.js calls register() once when a server starts (not during `next build`): the settings
// are checked here, so a deployment missing what it needs (lib/env.ts: TOKEN_ENCRYPTION_KEY,
// CRON_SECRET, the Supabase Auth keys) fails at its start with every missing one named,
// instead of coming up and failing each request.
// https://nextjs.org/docs/app/guides/instrumentation
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return
  const { env } = await import('./lib/env')
  env()
}
