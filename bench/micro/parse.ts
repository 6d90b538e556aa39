// npx tsx bench/micro/parse.ts — the read path's per-record cost after the HTTP call: JSON.parse
// of a list page, our zod schema, and the mapping to remote records (best of 7 passes).
import { startHubSpotSandbox } from '../../sandbox/hubspot/index'
import { propertiesFor, toRemoteRecord } from '../../lib/crm/adapters/hubspot/mapping'
import { listResponseSchema } from '../../lib/crm/adapters/hubspot/schemas'
import { bestOf } from './best-of'

const sandbox = await startHubSpotSandbox({ port: 0, tier: 'off', contacts: 2_000, companies: 100, owners: 5, seed: 9 })
const pages: string[] = []
let after: string | undefined
do {
  const qs = new URLSearchParams({ limit: '100', properties: propertiesFor('contact').join(','), associations: 'companies' })
  if (after) qs.set('after', after)
  const res = await fetch(`${sandbox.url}/crm/v3/objects/contacts?${qs}`, { headers: { authorization: `Bearer ${sandbox.token}` } })
  const text = await res.text()
  pages.push(text)
  after = (JSON.parse(text) as { paging?: { next?: { after: string } } }).paging?.next?.after
} while (after)
await sandbox.close()
const records = pages.length * 100

const time = (name: string, fn: (page: string) => unknown) => bestOf(name, pages, records, 'record', fn)
time('JSON.parse', (p) => JSON.parse(p))
time('JSON.parse + schema', (p) => listResponseSchema.parse(JSON.parse(p)))
time('JSON.parse + schema + mapping', (p) => listResponseSchema.parse(JSON.parse(p)).results.map((o) => toRemoteRecord('contact', o)))
