import { describe, expect, it } from 'vitest'
import { counted, duration, errorNextStep, errorTone, figure, objectName, shownError, timeAgo } from './format'
import { STOPPED } from '@/lib/crm/stopped'

describe('timeAgo', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')
  it.each([
    [null, 'never'],
    ['2026-12-01T12:00:03Z', 'just now'], // a clock a little ahead of this one
    ['2026-12-01T11:59:58Z', 'just now'],
    ['2026-12-01T11:59:30Z', '30 s ago'],
    ['2026-12-01T11:15:00Z', '45 min ago'],
    ['2026-12-01T02:00:00Z', '10 h ago'],
    ['2026-01-21T12:00:00Z', 'Jan 21'],
    ['2025-12-05T12:00:00Z', 'Dec 5, 2025'],
    ['2019-06-30T12:00:00Z', 'Jun 30, 2019'],
  ])('%s → %s', (iso, expected) => {
    expect(timeAgo(iso, now)).toBe(expected)
  })
})

describe('duration', () => {
  it.each([
    [null, '—'],
    [273, '273 ms'],
    [1_500, '1.5 s'],
    [125_000, '2 min 5 s'],
  ])('%s ms → %s', (ms, expected) => {
    expect(duration(ms)).toBe(expected)
  })
})

describe('counted', () => {
  it.each([
    [0, '0 open conflicts'],
    [1, '1 open conflict'],
    [2, '2 open conflicts'],
    [1_204, '1,204 open conflicts'],
    [1_000_000, '1,000,000 open conflicts'],
  ])('%s → %s', (n, expected) => expect(counted(n, 'open conflict')).toBe(expected))
})

describe('figure', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1,000'],
    [20_000, '20,000'],
    [1_234_567, '1,234,567'],
  ])('%s → %s', (n, expected) => expect(figure(n)).toBe(expected))
})

describe('objectName', () => {
  it.each([
    ['contact', 'Contact'],
    ['company', 'Company'],
    ['deal', 'Deal'],
    ['owner', 'Owner'],
    ['ticket', 'ticket'],
  ])('%s → %s', (type, expected) => expect(objectName(type)).toBe(expected))
})

describe('shownError', () => {
  it.each([
    ['[transient] HubSpot 500: internal error', 'HubSpot 500: internal error'],
    ['[rate_limit] HubSpot 429: slow down', 'HubSpot 429: slow down'],
    ['[stopped] out of time', 'out of time'],
    ['HubSpot said [maybe] no', 'HubSpot said [maybe] no'],
    ['no tag at all', 'no tag at all'],
  ])('%s → %s', (message, expected) => expect(shownError(message)).toBe(expected))
})

describe('errorNextStep', () => {
  it.each([
    ['[transient] HubSpot 500: internal error', 'The next sync tries again.'],
    ['[rate_limited] HubSpot 429: slow down', 'The next sync tries again.'],
    ['[bad_response] HubSpot answered a page we could not read', 'The next sync tries again.'],
    ['[daily_limit] HubSpot 429: daily limit', 'HubSpot’s daily API limit is spent: syncing resumes once it resets.'],
    ['[auth_expired] HubSpot 401: token expired', 'Reconnect HubSpot, then Refresh CRM.'],
    ['[forbidden] HubSpot 403: missing scopes', 'Reconnect HubSpot, then Refresh CRM.'],
    ['[schema] column contacts.job_title is missing', 'Fix the app’s tables as the message says, then Refresh CRM.'],
    [`${STOPPED} out of time after 280 s; the next run goes on from here`, null],
    ['[validation] HubSpot 400: bad email', null],
    ['no tag at all', null],
  ])('%s → %s', (message, expected) => expect(errorNextStep(message)).toBe(expected))
})

describe('errorTone', () => {
  it.each([
    [`${STOPPED} out of time after 280 s; the next run goes on from here`, 'text-amber-700'],
    ['[transient] HubSpot 500: internal error', 'text-rose-600'],
    ['no tag at all', 'text-rose-600'],
  ])('%s → %s', (message, expected) => expect(errorTone(message)).toBe(expected))
})
