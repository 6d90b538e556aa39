import { mulberry32 } from './random.js'
import type { Sandbox } from './state.js'
import type { Owner } from './owners.js'
import type { ObjectType } from './object-types.js'
import type { Rec } from './record.js'
import { customProperty, INDUSTRIES, LEAD_STATUSES, LIFECYCLE_STAGES, PIPELINES } from './properties/definitions.js'
import { CITIES, COMPANY_WORDS_A, COMPANY_WORDS_B, FIRST_NAMES, JOB_TITLES, LAST_NAMES, PRODUCTS, SUFFIXES, TEAMS, TLDS, phoneNumber } from './seed-data.js'

export interface SeedCounts {
  contacts: number
  companies: number
  deals: number
  owners: number
  /**
   * The portal's own text properties on contacts (`custom_field_1` … `custom_field_N`), every
   * contact holding a value for each: what a portal with custom fields looks like, for
   * benchmarks of extra properties. Values come from the contact's position, not from the
   * seed's random stream, so every other seeded value is the same with or without them.
   */
  customProperties?: number
}

export const customPropertyName = (k: number) => `custom_field_${k}`

const DAY = 86_400_000

/**
 * Fills the portal with deterministic demo data: the same seed and counts always give the
 * same records, ids and associations. History is spread over the past year and is visible to
 * search at once (it was indexed long ago).
 */
export function seedPortal(sb: Sandbox, counts: SeedCounts, seed: number): void {
  const rand = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
  const now = sb.clock.now()
  const ownerCount = counts.owners || (counts.contacts + counts.companies + counts.deals > 0 ? 5 : 0)
  if (ownerCount) seedOwners(sb, ownerCount, pick, now)
  const ownerIds = sb.owners.filter((o) => !o.archived).map((o) => o.id)
  const total = counts.companies + counts.contacts + counts.deals
  const start = now - 365 * DAY
  const step = total ? Math.max(1, Math.floor((364 * DAY) / total)) : 1
  let t = start
  // Three records in four have had an activity (a call, a note) logged, last when they were
  // last modified; chosen by position, not by `rand`, so every other seeded value stays as it was.
  const put = (type: ObjectType, props: Record<string, string>, i: number): Rec => {
    t += step
    if (i % 4 !== 3) props.notes_last_updated = new Date(t).toISOString()
    const rec: Rec = { id: sb.store.newId(), type, props, createdAt: t, updatedAt: t, archived: false }
    sb.store.put(rec)
    sb.index.load(rec)
    return rec
  }
  const companies: Array<{ id: string; name: string; domain: string }> = []
  for (let i = 0; i < counts.companies; i++) {
    const base = `${pick(COMPANY_WORDS_A)} ${pick(COMPANY_WORDS_B)}`
    const name = `${base}${i >= 500 ? ` ${i}` : ''} ${pick(SUFFIXES)}`.trim()
    const domain = `${base.toLowerCase().replace(/[^a-z]+/g, '')}${i >= 500 ? i : ''}.${pick(TLDS)}`
    const [city, country] = pick(CITIES)
    const rec = put('companies', {
      name, domain, website: `https://www.${domain}`, phone: phoneNumber(rand), industry: pick(INDUSTRIES), city, country,
      numberofemployees: String(5 + Math.floor(rand() * 5000)), hubspot_owner_id: pick(ownerIds),
      description: `${name} builds ${pick(COMPANY_WORDS_B).toLowerCase()} products.`,
    }, i)
    companies.push({ id: rec.id, name, domain })
  }
  const custom = Array.from({ length: counts.customProperties ?? 0 }, (_, k) => customPropertyName(k + 1))
  for (const [k, name] of custom.entries()) {
    sb.properties.put('contacts', customProperty({ name, label: `Custom field ${k + 1}`, type: 'string', fieldType: 'text', groupName: 'contactinformation', formField: true }, start))
  }
  const contacts: string[] = []
  for (let i = 0; i < counts.contacts; i++) {
    const first = pick(FIRST_NAMES)
    const last = pick(LAST_NAMES)
    const company = companies.length ? pick(companies) : undefined
    const local = emailLocalPart(first, last)
    const props: Record<string, string> = {
      email: `${local}${i}@${company?.domain ?? 'example.com'}`, firstname: first, lastname: last, phone: phoneNumber(rand),
      jobtitle: pick(JOB_TITLES), lifecyclestage: pick(LIFECYCLE_STAGES), hs_lead_status: pick(LEAD_STATUSES),
      ...(ownerIds.length ? { hubspot_owner_id: pick(ownerIds) } : {}),
      ...(company ? { company: company.name } : {}),
      ...(rand() < 0.3 ? { mobilephone: phoneNumber(rand) } : {}),
    }
    for (const [k, name] of custom.entries()) props[name] = `value ${(i * 31 + k * 7) % 1000}`
    const rec = put('contacts', props, i)
    contacts.push(rec.id)
    if (company) {
      sb.associations.add('contacts', rec.id, 'companies', company.id, [{ category: 'HUBSPOT_DEFINED', typeId: 1 }, { category: 'HUBSPOT_DEFINED', typeId: 279 }])
    }
  }
  for (let i = 0; i < counts.deals; i++) {
    const company = companies.length ? pick(companies) : undefined
    const pipeline = rand() < 0.8 ? 'default' : '75e28846'
    const rec = put('deals', {
      dealname: `${company?.name ?? pick(COMPANY_WORDS_A)} - ${pick(PRODUCTS)}`, amount: String(Math.round(rand() * 200) * 250),
      pipeline, dealstage: pick(PIPELINES[pipeline]), closedate: new Date(now + Math.floor((rand() - 0.3) * 120) * DAY).toISOString(),
      ...(ownerIds.length ? { hubspot_owner_id: pick(ownerIds) } : {}),
    }, i)
    if (company) sb.associations.add('deals', rec.id, 'companies', company.id, [{ category: 'HUBSPOT_DEFINED', typeId: 5 }, { category: 'HUBSPOT_DEFINED', typeId: 341 }])
    if (contacts.length) sb.associations.add('deals', rec.id, 'contacts', pick(contacts), [{ category: 'HUBSPOT_DEFINED', typeId: 3 }])
  }
  sb.stamp.observe(t)
}

/** `first.last` in plain ASCII: accents dropped, not the letters carrying them (Sofía → sofia). */
export function emailLocalPart(first: string, last: string): string {
  return `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '')
}

function seedOwners(sb: Sandbox, n: number, pick: <T>(xs: readonly T[]) => T, now: number): void {
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST_NAMES)
    const last = pick(LAST_NAMES)
    const team = TEAMS[i % TEAMS.length]
    const owner: Owner = {
      id: String(41629779 + i * 7919), email: `${emailLocalPart(first, last)}${i}@syncline-demo.com`,
      firstName: first, lastName: last, userId: 9186300 + i, userIdIncludingInactive: 9186300 + i, type: 'PERSON',
      createdAt: now - 400 * DAY + i * DAY, updatedAt: now - 30 * DAY, archived: i > 0 && i % 10 === 9,
      teams: [{ ...team, primary: true }],
    }
    sb.owners.push(owner)
  }
}
