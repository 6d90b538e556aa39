import { afterAll, beforeAll, expect, it } from 'vitest'
import type { HubSpotSandbox } from '../../sandbox/hubspot/index.js'
import { emailLocalPart } from '../../sandbox/hubspot/seed'
import { raw, startSandbox } from './helpers'

// The demo portal's emails are what a person with that name would have: accents dropped,
// not the letters that carry them (an owner "Sofía Clarke" once showed as sofa.clarke1@…).

it.each([
  ['Sofía', 'Clarke', 'sofia.clarke'],
  ['Chloé', 'Müller', 'chloe.muller'],
  ['Tomás', "O'Brien", 'tomas.obrien'],
  ['Léa', 'Nguyen', 'lea.nguyen'],
  ['Olivia', 'Smith', 'olivia.smith'],
])('%s %s → %s', (first, last, local) => {
  expect(emailLocalPart(first, last)).toBe(local)
})

let sb: HubSpotSandbox
beforeAll(async () => { sb = await startSandbox({ contacts: 300, companies: 20, deals: 0, owners: 30 }) })
afterAll(async () => { await sb?.close() })

it("every seeded owner's and contact's email keeps each letter of the name, accents dropped", async () => {
  const owners = (await raw(sb, 'GET', '/crm/v3/owners?limit=100')).body.results as Array<{ email: string; firstName: string; lastName: string }>
  const contacts = (await raw(sb, 'GET', '/crm/v3/objects/contacts?limit=100&properties=email,firstname,lastname')).body.results as Array<{ properties: Record<string, string> }>
  const people = [
    ...owners.map((o) => ({ email: o.email, first: o.firstName, last: o.lastName })),
    ...contacts.map((c) => ({ email: c.properties.email, first: c.properties.firstname, last: c.properties.lastname })),
  ]
  expect(owners.some((o) => /[^\x00-\x7f]/.test(o.firstName + o.lastName))).toBe(true) // the case this is about is seeded
  for (const p of people) expect(p.email.split('@')[0]).toMatch(new RegExp(`^${emailLocalPart(p.first, p.last).replace('.', '\\.')}\\d+$`))
})
