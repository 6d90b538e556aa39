import { describe, expect, it } from 'vitest'
import { CrmError, refusedToken, schemaChanged, schemaErrorOf, taggedErrorType } from './errors'

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('schemaErrorOf', () => {
  it.each([
    { name: 'undefined_column', e: pgError('42703', 'column t.job_title does not exist'), schema: true },
    { name: 'undefined_table', e: pgError('42P01', 'relation "public.contacts" does not exist'), schema: true },
    { name: 'datatype_mismatch', e: pgError('42804', 'column "amount" is of type text but expression is of type numeric'), schema: true },
    { name: 'a unique violation: not the schema', e: pgError('23505', 'duplicate key'), schema: false },
    { name: 'a connection reset: not the schema', e: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), schema: false },
    { name: 'a CrmError: already named', e: new CrmError('transient', 'x'), schema: false },
    { name: 'not an error', e: { code: '42703' }, schema: false },
  ])('$name', ({ e, schema }) => {
    expect(schemaErrorOf(e) !== undefined).toBe(schema)
  })
})

describe('schemaChanged', () => {
  it.each([
    { missing: ['contacts.job_title'], says: "the app's schema changed: column contacts.job_title does not exist; " },
    { missing: ['deals'], says: "the app's schema changed: table deals does not exist; " },
    { missing: [], says: "the app's schema changed: column t.x does not exist (SQLSTATE 42703); " },
  ])('$missing', ({ missing, says }) => {
    const e = schemaChanged({ code: '42703', message: 'column t.x does not exist' }, missing)
    expect(e).toMatchObject({ type: 'schema', retry: 'never' })
    expect(e.message.startsWith(says)).toBe(true)
    expect(e.message).toContain('restore it')
  })
})

describe("a run's error message, by its tag", () => {
  it.each([
    ['[auth_expired] HubSpot refused the OAuth grant; reconnect the CRM', 'auth_expired', true],
    ['[forbidden] missing scopes', 'forbidden', true],
    ['[transient] HubSpot 500: internal error', 'transient', false],
    ['HubSpot refused the token [auth_expired]', null, false],
    ['', null, false],
  ])('%s → %s, refused token: %s', (message, type, refused) => {
    expect(taggedErrorType(message)).toBe(type)
    expect(refusedToken(message)).toBe(refused)
  })
})
