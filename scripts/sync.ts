// npm run sync -- [--connection ID] [--full] [--dry-run] [--json] [--objects contacts,deals] [--push-unlinked]
import { z } from 'zod'
import { disconnectedMessage, ensureDefaultConnection } from '../lib/crm/connect'
import { OBJECT_NAME_LIST, parseObjectNames } from '../lib/crm/object-names'
import { pushUnlinked, type UnlinkedCounts } from '../lib/crm/push-unlinked'
import { runSync, type SyncSummary } from '../lib/crm/sync-service'
import { abortAfter } from '../lib/crm/time-limit'
import type { SyncObjectType } from '../lib/crm/types'
import { env } from '../lib/env'
import { getConnection, lastDisconnectedConnection, listConnections } from '../lib/store/connections'
import { closeSql, getSql } from '../lib/store/db'
import { LOCAL_TENANT_ID } from '../lib/tenant'
import { readArgs, type Flag } from './cli-args'
import { createProgress } from './sync-progress'
import { crmConfigured, devSandboxPortLookedAt, devSandboxUrl, notTheSandboxPortal, SANDBOX_TOKEN, startTemporarySandbox, useSandbox } from './sync-target'

// --objects takes the plural names --help lists (and the summary prints); the singular too
// (lib/crm/object-names.ts, as POST /api/crm/sync's objects).
const OBJECT_LIST = OBJECT_NAME_LIST

const FLAGS: Record<string, Flag> = {
  connection: { type: 'string' }, full: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
  objects: { type: 'string' }, 'max-seconds': { type: 'string' }, 'push-unlinked': { type: 'boolean' },
}

const MAX_SECONDS = 7 * 24 * 3600
const maxSecondsAccepted = `must be a whole number of seconds from 1 to ${MAX_SECONDS} (a week)`

const argsSchema = z.object({
  connection: z.uuid().optional(),
  full: z.boolean().default(false),
  'dry-run': z.boolean().default(false),
  json: z.boolean().default(false),
  'push-unlinked': z.boolean().default(false),
  'max-seconds': z.coerce.number({ error: maxSecondsAccepted }).int(maxSecondsAccepted).min(1, maxSecondsAccepted).max(MAX_SECONDS, maxSecondsAccepted).optional(),
  objects: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined
      const parsed = parseObjectNames(s.split(','))
      if ('error' in parsed) {
        ctx.addIssue({ code: 'custom', message: `${parsed.error} (comma-separated)` })
        return z.NEVER
      }
      return parsed.types
    }),
})

const USAGE = `Usage: npm run sync -- [options]

  --connection <id>   the connection to sync (default: the local workspace's; created if it has none,
                      never one disconnected in the dashboard)
  --full              re-list everything instead of searching for changes
  --dry-run           report what would change; write nothing on either side
  --json              print one JSON summary on stdout
  --objects <list>    only these object types, e.g. contacts,deals (${OBJECT_LIST})
  --max-seconds <n>   stop after the batch in flight once n seconds have passed (the next run goes on from there);
                      n from 1 to 604800 (a week)
  --push-unlinked     first queue the app's live records the CRM has never had (no link: rows written before
                      the CRM was connected that matched no CRM record), so this sync creates them there;
                      with --dry-run only counts them
  --help, -h          this text; does nothing else

Exit code: 0 success, 1 partial (also when stopped by Ctrl-C or --max-seconds), 3 failed, 2 bad arguments
(also a connection that does not exist or is disconnected).

With no CRM configured (HUBSPOT_ACCESS_TOKEN, HUBSPOT_API_BASE_URL, HUBSPOT_CLIENT_ID, NANGO_SECRET_KEY), the
sandbox HubSpot stands in: the one \`npm run dev\` serves when it runs, else one started for this command.`

async function main(): Promise<number> {
  const argv = process.argv.slice(2)
  const outcome = readArgs(argv, USAGE, FLAGS, argsSchema)
  if (outcome.kind === 'help') {
    console.log(outcome.text)
    return 0
  }
  if (outcome.kind === 'invalid') {
    // An unknown option, a missing value or one the schema refuses: --json is looked for by
    // hand, as the arguments did not all parse: it still gets its one object.
    console.error(outcome.text)
    if (argv.includes('--json')) printFailed(outcome.message)
    return 2
  }
  const args = outcome.values
  // Without a CRM configured, the sandbox stands in: the dev server's when it runs (so what
  // the dashboard connected is synced against the same portal), else one for this command.
  let temporary: Awaited<ReturnType<typeof startTemporarySandbox>> | undefined
  // Inside the try, so that a bad setting (HUBSPOT_SANDBOX_PORT=abc) or a database that cannot
  // be opened still prints --json's one object: it printed the message alone.
  try {
    const configured = crmConfigured()
    const devSandbox = configured ? undefined : await devSandboxUrl()
    if (devSandbox) useSandbox(devSandbox)
    const sql = await getSql()
    let connection = args.connection ? await getConnection(sql, args.connection) : (await listConnections(sql, LOCAL_TENANT_ID))[0]
    if (args.connection && (!connection || connection.status === 'disconnected')) {
      return usageError(args.json, connection ? `connection ${args.connection} is disconnected: connect it again in the dashboard`
        : `no connection ${args.connection}`, '--connection')
    }
    if (!connection) {
      // Disconnect stops syncing: with none named, a connection the user disconnected is
      // neither reactivated nor re-credentialed (with the sandbox's or HUBSPOT_ACCESS_TOKEN's
      // token); a new one is made only when the workspace has none at all.
      const disconnected = await lastDisconnectedConnection(sql, LOCAL_TENANT_ID)
      if (disconnected) return usageError(args.json, disconnectedMessage(disconnected.id))
    }
    if (!configured && !devSandbox && !connection?.apiBaseUrl) {
      // A token the dashboard got by OAuth or Nango exists only in the dev server's sandbox,
      // which keeps its state in memory: a fresh one would refuse it, and the connection
      // would be marked as needing to reconnect. A pasted private-app token works in any.
      if (connection && connection.authMethod !== 'private_app') {
        return failure(args.json, `connection ${connection.id} was made in the dashboard against the sandbox HubSpot that \`npm run dev\` serves, ` +
          `and none answers on port ${devSandboxPortLookedAt()}: start \`npm run dev\`, then run this again (with dev on another port, ` +
          'set HUBSPOT_SANDBOX_PORT to it here too; or set HUBSPOT_API_BASE_URL for another HubSpot)')
      }
      temporary = await startTemporarySandbox()
      useSandbox(temporary.url)
    }
    const standIn = devSandbox ?? temporary?.url
    if (standIn && connection && !connection.apiBaseUrl) {
      const refusal = await notTheSandboxPortal(standIn, connection)
      if (refusal) return failure(args.json, refusal)
    }
    if (!connection) {
      const e = env()
      const token = e.HUBSPOT_ACCESS_TOKEN ?? (configured ? undefined : SANDBOX_TOKEN)
      if (!token) return failure(args.json, 'no connection yet: connect HubSpot in the dashboard, or set HUBSPOT_ACCESS_TOKEN to a private-app token')
      // No base URL stored: it follows HUBSPOT_API_BASE_URL, so a sandbox standing in (dev's or this command's) is found again next time.
      connection = await ensureDefaultConnection(sql, LOCAL_TENANT_ID, { token })
    }
    // Queued before the run, so its push sends them (a dry run counts them and queues nothing).
    const unlinked = args['push-unlinked']
      ? await pushUnlinked(sql, connection.id, { objects: args.objects as SyncObjectType[] | undefined, dryRun: args['dry-run'] })
      : undefined
    const progress = args.json || !process.stderr.isTTY ? undefined : createProgress()
    const summary = await runSync(sql, {
      connectionId: connection.id, trigger: 'cli', full: args.full, dryRun: args['dry-run'],
      objects: args.objects as SyncObjectType[] | undefined, onProgress: progress?.update,
      signal: stopSignal(args['max-seconds']),
    })
    progress?.stop()
    if (args.json) console.log(JSON.stringify(unlinked ? { ...summary, pushUnlinked: unlinked } : summary))
    else {
      if (unlinked) printUnlinked(unlinked, args['dry-run'])
      printSummary(summary)
    }
    return summary.status === 'success' ? 0 : summary.status === 'partial' ? 1 : 3
  } catch (e) {
    return failure(args.json, e instanceof Error ? e.message : String(e))
  } finally {
    await temporary?.close()
    await closeSql()
  }
}

/** --json's one object for a run that did not happen (bad arguments, or one that could not start). */
function printFailed(error: string): void {
  console.log(JSON.stringify({ status: 'failed', error, objects: {} }))
}

/** A run that could not start (or broke off): exit 3, and with --json still one object on stdout. */
function failure(json: boolean, message: string): number {
  console.error(message)
  if (json) printFailed(message)
  return 3
}

/** A connection that cannot be synced (named, or the workspace's, disconnected): as bad an argument as a malformed one (exit 2). */
function usageError(json: boolean, message: string, option?: string): number {
  console.error(option ? `Invalid arguments: ${option}: ${message}` : message)
  if (json) printFailed(message)
  return 2
}

/**
 * Ctrl-C (or a SIGTERM from a supervisor) stops the run after the batch in flight: its rows
 * are closed as partial, the lease is let go and the next run goes on from there. A second
 * one quits at once, which loses nothing committed either (each batch commits with its cursor).
 * `maxSeconds` stops it the same way once that time has passed (one controller for both:
 * see abortAfter).
 */
function stopSignal(maxSeconds: number | undefined): AbortSignal {
  const stop = new AbortController()
  if (maxSeconds) abortAfter(stop, maxSeconds * 1000)
  const onSignal = (name: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130)
    console.error(`\n${name}: stopping after the batch in flight (again to quit at once)`)
    stop.abort(`stopped by ${name}`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return stop.signal
}

function printUnlinked(c: UnlinkedCounts, dryRun: boolean) {
  const total = c.companies + c.contacts + c.deals
  console.log(`${dryRun ? 'Would queue' : 'Queued'} ${total} unlinked app record${total === 1 ? '' : 's'} to create in the CRM ` +
    `(companies ${c.companies}, contacts ${c.contacts}, deals ${c.deals})${dryRun ? '; the dry run below does not count them' : ''}`)
}

function printSummary(s: SyncSummary) {
  console.log(`${s.dryRun ? 'Dry run' : 'Sync'} ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s (connection ${s.connectionId})` +
    (s.stopped ? `: ${s.stopped}; the next sync goes on from here` : ''))
  for (const [name, o] of Object.entries(s.objects)) {
    console.log(`  ${name.padEnd(10)} fetched ${o.fetched}, created ${o.created}, updated ${o.updated}, unchanged ${o.unchanged}, ` +
      `archived ${o.archived}, failed ${o.failed}, pushed ${o.pushed}, conflicts ${o.conflicts}, API calls ${o.apiCalls}` +
      (o.error ? `\n             error: ${o.error}` : ''))
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(3)
  },
)
