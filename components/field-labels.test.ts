import { describe, expect, it } from 'vitest'
import { fieldLabel } from './field-labels'

describe('fieldLabel', () => {
  it.each([
    { field: 'lastName', expected: 'Last name' },
    { field: 'jobTitle', expected: 'Job title' },
    { field: 'companyName', expected: 'Company' },
    { field: 'ownerRemoteId', expected: 'Owner' },
    { field: 'domain', expected: 'Domain' },
    { field: 'dealStage', expected: 'Deal stage' },
    { field: '@company', expected: 'Company' },
  ])('$field → $expected', ({ field, expected }) => expect(fieldLabel(field)).toBe(expected))
})
