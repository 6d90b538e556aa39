import { parseArgs } from 'node:util'
import { z } from 'zod'
import { startHubSpotSandbox } from './index.js'

// `npm run sandbox -- --port 4010 --contacts 1000 --tier pro --token T --webhook-url URL --client-secret S`
// Every flag has an env equivalent (HUBSPOT_SANDBOX_PORT, ..._CONTACTS, ..._TIER, ...).
const options = {
  port: { type: 'string' }, host: { type: 'string' }, contacts: { type: 'string' }, companies: { type: 'string' },
  deals: { type: 'string' }, owners: { type: 'string' }, seed: { type: 'string' }, tier: { type: 'string' },
  token: { type: 'string', multiple: true }, 'webhook-url': { type: 'string' }, 'client-id': { type: 'string' },
  'client-secret': { type: 'string' }, 'app-id': { type: 'string' }, 'portal-id': { type: 'string' },
  'search-lag-ms': { type: 'string' }, 'dev-api-key': { type: 'string' }, 'custom-properties': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const
const usage = `Usage: npm run sandbox -- [--flag value …]
Flags: --${Object.keys(options).filter((k) => k !== 'help').join(', --')} (--token may be given more than once)
Each flag is also read from HUBSPOT_SANDBOX_<FLAG> (HUBSPOT_SANDBOX_PORT, …_CONTACTS, …_WEBHOOK_URL, …).
Defaults and the control API: sandbox/hubspot/README.md`

// An unknown flag (or --help) answered with node's own stack trace before.
let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values']
try {
  values = parseArgs({ options }).values
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n${usage}`)
  process.exit(2)
}
if (values.help) {
  console.log(usage)
  process.exit(0)
}

const env = (k: string) => process.env[`HUBSPOT_SANDBOX_${k}`] || undefined
const int = z.coerce.number().int().min(0)
const Schema = z.object({
  port: int.default(4010), host: z.string().default('127.0.0.1'), contacts: int.default(0), companies: int.optional(), deals: int.optional(),
  owners: int.optional(), seed: z.coerce.number().int().default(1), tier: z.enum(['free', 'pro', 'enterprise', 'off']).default('pro'),
  tokens: z.array(z.string()).default([]), webhookUrl: z.string().url().optional(), clientId: z.string().optional(), clientSecret: z.string().optional(),
  appId: int.optional(), portalId: int.optional(), searchIndexLagMs: int.optional(), developerApiKey: z.string().optional(),
  customProperties: int.max(500).optional(),
})

const parsed = Schema.safeParse({
  port: values.port ?? env('PORT'), host: values.host ?? env('HOST'), contacts: values.contacts ?? env('CONTACTS'),
  companies: values.companies ?? env('COMPANIES'), deals: values.deals ?? env('DEALS'), owners: values.owners ?? env('OWNERS'),
  seed: values.seed ?? env('SEED'), tier: values.tier ?? env('TIER'),
  tokens: values.token ?? env('TOKEN')?.split(','), webhookUrl: values['webhook-url'] ?? env('WEBHOOK_URL'),
  clientId: values['client-id'] ?? env('CLIENT_ID'), clientSecret: values['client-secret'] ?? env('CLIENT_SECRET'),
  appId: values['app-id'] ?? env('APP_ID'), portalId: values['portal-id'] ?? env('PORTAL_ID'),
  searchIndexLagMs: values['search-lag-ms'] ?? env('SEARCH_LAG_MS'), developerApiKey: values['dev-api-key'] ?? env('DEV_API_KEY'),
  customProperties: values['custom-properties'] ?? env('CUSTOM_PROPERTIES'),
})
if (!parsed.success) {
  console.error('Invalid sandbox options:\n' + parsed.error.issues.map((i) => `  --${i.path.join('.')}: ${i.message}`).join('\n'))
  process.exit(2)
}
const o = parsed.data
// With only --contacts given, seed companies and deals in proportion so the demo has all three.
const companies = o.companies ?? Math.ceil(o.contacts / 5)
const deals = o.deals ?? Math.ceil(o.contacts / 4)

const sb = await startHubSpotSandbox({ ...o, companies, deals })
console.log(`HubSpot sandbox listening on ${sb.url}
  portal id       ${sb.portalId}
  private token   ${sb.token}${o.tokens.length ? `, ${o.tokens.join(', ')}` : ''}
  oauth client    ${sb.clientId} / ${sb.clientSecret} (app id ${sb.appId})
  dev API key     ${sb.developerApiKey}
  tier            ${o.tier}
  records         ${o.contacts} contacts, ${companies} companies, ${deals} deals
  webhooks        ${o.webhookUrl ?? 'not subscribed'}
  records page    ${sb.url}/_sandbox/ui`)

const stop = async () => {
  await sb.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
