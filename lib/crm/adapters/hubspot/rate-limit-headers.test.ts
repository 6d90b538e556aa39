import { describe, expect, it } from 'vitest'
import { burstCount } from './rate-limit-headers'

const full = { 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-remaining': '99', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }

describe('burstCount', () => {
  // [case, headers, what is read]
  const cases: Array<[string, Parameters<typeof burstCount>[0], ReturnType<typeof burstCount>]> = [
    ['the three headers, as the SDK\'s HttpInfo gives them (lower case)', full, { remaining: 99, intervalMs: 10_000 }],
    ['as fetch gives them (Headers)', new Headers(full), { remaining: 99, intervalMs: 10_000 }],
    ['spelled as HubSpot documents them', { 'X-HubSpot-RateLimit-Max': '190', 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000' }, { remaining: 0, intervalMs: 10_000 }],
    ['no headers at all (a network failure)', undefined, undefined],
    ['a search answer: none of them', { 'x-hubspot-ratelimit-daily': '250000' }, undefined],
    ['one missing', { ...full, 'x-hubspot-ratelimit-interval-milliseconds': undefined as unknown as string }, undefined],
    ['garbage', { ...full, 'x-hubspot-ratelimit-remaining': 'lots' }, undefined],
    ['negative', { ...full, 'x-hubspot-ratelimit-remaining': '-1' }, undefined],
    ['a fraction', { ...full, 'x-hubspot-ratelimit-remaining': '9.5' }, undefined],
    ['repeated, joined by a comma', { ...full, 'x-hubspot-ratelimit-remaining': '99, 98' }, undefined],
    ['empty', { ...full, 'x-hubspot-ratelimit-remaining': '' }, undefined],
    ['more remaining than the max', { ...full, 'x-hubspot-ratelimit-remaining': '101' }, undefined],
    ['a zero interval', { ...full, 'x-hubspot-ratelimit-interval-milliseconds': '0' }, undefined],
  ]
  it.each(cases)('%s', (_case, headers, expected) => {
    expect(burstCount(headers)).toEqual(expected)
  })
})
