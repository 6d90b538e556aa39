// npx tsx bench/micro/hash.ts — the cost of the content and per-field hashes on seeded records.
import * as crypto from 'node:crypto'
import { contentHash } from '../../lib/crm/pull/plan'
import { hashFieldValue, hashFields } from '../../lib/crm/hash'
import type { RemoteRecord } from '../../lib/crm/types'
import { FIRST_NAMES, JOB_TITLES, LAST_NAMES, phoneNumber } from '../../sandbox/hubspot/seed-data'
import { mulberry32 } from '../../sandbox/hubspot/random'
import { bestOf } from './best-of'

const N = 20_000
const rand = mulberry32(3)
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]
const records: RemoteRecord[] = Array.from({ length: N }, (_, i) => ({
  remoteId: String(1000 + i), createdAt: new Date(), updatedAt: new Date(), archived: false,
  associations: { companyRemoteId: rand() < 0.7 ? String(5000 + Math.floor(rand() * 400)) : null },
  fields: {
    email: `user${i}@example.com`, phone: phoneNumber(rand), firstName: pick(FIRST_NAMES), lastName: pick(LAST_NAMES),
    jobTitle: pick(JOB_TITLES), companyName: null, lifecycleStage: pick(['lead', 'subscriber', 'customer']), leadStatus: pick(['NEW', 'OPEN', null]),
    description: null, ownerRemoteId: String(1 + Math.floor(rand() * 5)), lastActivityAt: new Date(1.7e12 + i * 1000).toISOString(), leadSourceSystem: null,
  },
}))

const time = (name: string, fn: (r: RemoteRecord) => unknown) => bestOf(name, records, N, 'record', fn)
{
  time('contentHash', contentHash)
  time('hashFields(fields)', (r) => hashFields(r.fields))
  time('hashFieldValue × fields', (r) => { for (const f in r.fields) hashFieldValue(r.fields[f]) })
  time('crypto.hash sha1 × 1', (r) => crypto.hash('sha1', r.remoteId, 'hex'))
  time('JSON.stringify(fields)', (r) => JSON.stringify(r.fields))
}
