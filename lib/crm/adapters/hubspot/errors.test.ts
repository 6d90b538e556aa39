import { describe, expect, it } from 'vitest'
import { withoutBearer, classifyHubSpotError, httpError, readableHubSpotMessage } from './errors'

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

describe('readableHubSpotMessage', () => {
  const invalid = (details: unknown) => `Property values were not valid: ${JSON.stringify(details)}`
  it.each([
    {
      name: 'one invalid option',
      message: invalid([{ isValid: false, message: 'x was not one of the allowed options: [lead, customer]', error: 'INVALID_OPTION', name: 'lifecyclestage' }]),
      out: 'lifecyclestage: x was not one of the allowed options: [lead, customer]',
    },
    {
      name: 'two properties',
      message: invalid([{ message: 'bad email', name: 'email' }, { localizedErrorMessage: 'not a number', name: 'amount' }]),
      out: 'email: bad email; amount: not a number',
    },
    { name: 'another message is left alone', message: 'Contact already exists. Existing ID: 101', out: 'Contact already exists. Existing ID: 101' },
    { name: 'details that are not JSON are left alone', message: 'Property values were not valid: [oops', out: 'Property values were not valid: [oops' },
    { name: 'details without a message are left alone', message: invalid([{ name: 'email' }]), out: invalid([{ name: 'email' }]) },
  ])('$name', ({ message, out }) => {
    expect(readableHubSpotMessage(message)).toBe(out)
  })

  it('a whole-batch 400 carries the readable form', () => {
    const body = JSON.stringify({ status: 'error', category: 'VALIDATION_ERROR', message: invalid([{ message: 'bad email', name: 'email' }]) })
    expect(classifyHubSpotError(httpError(400, body, {})).message).toBe('HubSpot 400: email: bad email')
  })
})

describe('withoutBearer', () => {
  it.each([
    ['fetch refusing a token with a line break', 'Bearer pat-na1-1234abcd\nefgh-5678-SECRET is not a legal HTTP header value', 'Bearer [redacted] is not a legal HTTP header value'],
    ['a token at the end of a message', 'sent Authorization: Bearer pat-na1-SECRET', 'sent Authorization: Bearer [redacted]'],
    ['no token: unchanged', 'connect ECONNREFUSED 127.0.0.1:4010', 'connect ECONNREFUSED 127.0.0.1:4010'],
  ])('%s', (_, message, expected) => {
    expect(withoutBearer(message)).toBe(expected)
    expect(classifyHubSpotError(new TypeError(message)).message).toBe(`HubSpot request failed: ${expected}`)
  })
})
