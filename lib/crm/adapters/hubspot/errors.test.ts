import { describe, expect, it } from 'vitest'
import { classifyHubSpotError, httpError } from './errors'

describe('classifyHubSpotError on apiRequest answers', () => {
  it.each([
    [429, { policyName: 'TEN_SECONDLY_ROLLING' }, {}, 'rate_limited', 10_000],
    [429, { policyName: 'SECONDLY' }, {}, 'rate_limited', 1_000],
    [429, { policyName: 'TEN_SECONDLY_ROLLING' }, { 'retry-after': '3' }, 'rate_limited', 3_000],
    [429, { policyName: 'DAILY' }, {}, 'daily_limit', undefined],
    [477, {}, {}, 'rate_limited', 5_000],
    [502, {}, {}, 'transient', undefined],
    [401, { category: 'EXPIRED_AUTHENTICATION' }, {}, 'auth_expired', undefined],
    [404, {}, {}, 'not_found', undefined],
    [400, { category: 'VALIDATION_ERROR' }, {}, 'validation', undefined],
  ] as const)('%i %j %j → %s', (status, body, headers, type, retryAfterMs) => {
    const err = classifyHubSpotError(httpError(status, JSON.stringify({ status: 'error', message: 'm', ...body }), headers))
    expect(err).toMatchObject({ type, httpStatus: status, retryAfterMs })
  })

  it('a body that is not JSON still classifies by status', () => {
    expect(classifyHubSpotError(httpError(503, '<html>Service Unavailable</html>', {}))).toMatchObject({ type: 'transient', httpStatus: 503 })
  })

  it('network failures and truncated JSON are transient', () => {
    expect(classifyHubSpotError(new SyntaxError('Unexpected end of JSON input')).type).toBe('transient')
  })
})
