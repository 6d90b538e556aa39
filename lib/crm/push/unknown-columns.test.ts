import { describe, expect, it } from 'vitest'
import type { CoalescedChange } from './coalesce'
import { widenUnknownColumns } from './unknown-columns'

const change = (columns: string[]): CoalescedChange => ({ localId: 'a', entryIds: [1], deleted: false, columns: new Set(columns) })
const contactColumns = new Set(['id', 'tenant_id', 'email', 'job_title', 'company_id', 'owner_id', 'notes'])

describe('widenUnknownColumns', () => {
  it.each([
    { name: 'mapped columns only: as queued', type: 'contact' as const, columns: ['job_title'], widened: false },
    { name: "the app's own column: as queued (nothing to send)", type: 'contact' as const, columns: ['notes'], widened: false },
    { name: "a deal's contacts: not a column, as queued", type: 'deal' as const, columns: ['contacts'], widened: false },
    { name: 'a column the table lacks now (renamed back since): every mapped field', type: 'contact' as const, columns: ['title'], widened: true },
  ])('$name', ({ type, columns, widened }) => {
    const [out] = widenUnknownColumns(type, [change(columns)], type === 'deal' ? new Set(['id', 'name']) : contactColumns)
    if (!widened) return expect([...out.columns]).toEqual(columns)
    expect(out.columns).toEqual(new Set([...columns, 'email', 'phone', 'first_name', 'last_name', 'job_title', 'company_name', 'lifecycle_stage',
      'lead_status', 'description', 'last_activity_at', 'lead_source_system', 'owner_id']))
    expect(out.entryIds).toEqual([1])
  })
})
