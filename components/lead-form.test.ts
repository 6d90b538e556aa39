import { describe, expect, it } from 'vitest'
import { phoneHint, pushNote, singleLeadError } from './lead-form'

describe('singleLeadError', () => {
  it.each([
    ['contact 0: email "x" is not an email address', 'Email "x" is not an email address'],
    ['contact 0: needs an email or a phone', 'Needs an email or a phone'],
    ['contact 0: lead status "Later" is not one of this HubSpot portal\'s options: New (NEW)', 'Lead status "Later" is not one of this HubSpot portal\'s options: New (NEW)'],
    ['0.companyName: must not contain a NUL character (\\u0000)', 'companyName: must not contain a NUL character (\\u0000)'],
    ['0.email: Too big; 0.phone: Too big', 'email: Too big; phone: Too big'],
    ['contact 10: needs an email or a phone', 'contact 10: needs an email or a phone'],
    ['contact 0: First name: at most 100 characters; contact 0: Job title: at most 200 characters', 'First name: at most 100 characters; Job title: at most 200 characters'],
    ['Body over 1048576 bytes', 'Body over 1048576 bytes'],
  ])('%j → %j', (message, expected) => {
    expect(singleLeadError(message)).toBe(expected)
  })
})

describe('pushNote', () => {
  const c = (direction: string, status = 'active') => ({ status, settings: { direction } })
  const SENT = 'Sent to HubSpot with the next sync (Refresh CRM, or the scheduled one).'
  const KEPT = 'This connection syncs HubSpot → app only: the change stays in the app, and is sent to HubSpot at the first sync once the connection is set to both ways (unless a sync brings HubSpot’s change to the field first).'
  it.each([
    ['both ways', [c('bidirectional')], SENT],
    ['app → HubSpot only', [c('push')], SENT],
    ['HubSpot → app only', [c('pull')], KEPT],
    ['HubSpot → app only, beside a disconnected one', [c('pull'), c('bidirectional', 'disconnected')], KEPT],
    ['one of two HubSpot → app only', [c('pull'), c('bidirectional')], expect.stringMatching(/^Sent to HubSpot .*, except by connections set to HubSpot → app only/)],
    // It said SENT: nothing is queued for a CRM never connected, and the first sync only links matches.
    ['no connection ever', [], 'No CRM is connected: the lead is saved in the app only. Once you connect HubSpot, its first sync links it to the contact with the same email or phone; a lead without a match stays in the app.'],
  ])('%s', (_name, connections, expected) => {
    expect(pushNote(connections)).toEqual(expected)
  })

  // None in use, the one last disconnected (StatusPayload.disconnected): no sync comes until it is connected again.
  const RECONNECT = 'The connection is disconnected: the change stays in the app, and is sent to HubSpot once the same HubSpot portal is connected again (Connect CRM).'
  it.each([
    ['the only one disconnected', [], { direction: 'bidirectional' }, RECONNECT],
    ['the only one disconnected, app → HubSpot only', [], { direction: 'push' }, RECONNECT],
    ['the only one disconnected, HubSpot → app only', [], { direction: 'pull' }, 'The connection is disconnected, and it synced HubSpot → app only: the change stays in the app.'],
    ['another in use beside it', [c('bidirectional')], null, SENT],
  ])('%s', (_name, connections, disconnected, expected) => {
    expect(pushNote(connections, disconnected)).toEqual(expected)
  })
})

describe('phoneHint', () => {
  it.each([
    ['the connections agree', { country: 'GB', from: 'connections', connectionCountries: ['GB'] },
      "A phone without a +country code is read as a GB number (the connection's country for phone numbers)."],
    ['none sets one: the default, by what it is, not by its variable', { country: 'US', from: 'default', connectionCountries: [] },
      "A phone without a +country code is read as a US number (the app's default; a connection's Sync settings can set another)."],
    ['they disagree', { country: 'US', from: 'disagreement', connectionCountries: ['DE', 'GB'] },
      "Your connections set different countries for phone numbers (DE, GB), so a phone without a +country code is read as a US number (the app's default). Write the + code to be sure."],
  ] as const)('%s', (_, country, expected) => {
    expect(phoneHint({ ...country, connectionCountries: [...country.connectionCountries] })).toBe(expected)
  })
})
