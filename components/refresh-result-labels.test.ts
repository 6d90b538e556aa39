import { describe, expect, it, vi } from 'vitest'
import { emptyCounts } from '@/lib/store/runs'
import type { ObjectSummary } from '@/lib/crm/sync-service'
import { refreshResultText } from './refresh-result-text'

// One source of labels: Refresh CRM's outcome names a type as the cards do (OBJECT_LABEL in
// format.ts). It kept a label table of its own, keyed by the summary's plural keys, which a
// change of the cards' labels would have left behind. A renamed label here must follow.
vi.mock('./format', async (original) => {
  const format = await original<typeof import('./format')>()
  return { ...format, OBJECT_LABEL: { owner: 'Reps', company: 'Accounts', contact: 'Leads', deal: 'Opportunities' } }
})

const failed: ObjectSummary = { ...emptyCounts(), status: 'failed', durationMs: 100, error: '[transient] HubSpot 500: internal error' }

describe("Refresh CRM's outcome names each type by the cards' label", () => {
  it.each([
    ['owners', 'Reps'], ['companies', 'Accounts'], ['contacts', 'Leads'], ['deals', 'Opportunities'],
  ] as const)('%s → %s', (key, label) => {
    const text = refreshResultText([{ status: 'partial', runGroup: 'g', connectionId: 'c', dryRun: false, durationMs: 2_900, objects: { [key]: failed } }])
    expect(text).toBe(`Partly synced: 0 changed, 0 pushed in 2.9 s. ${label} failed (HubSpot 500: internal error). Refresh CRM tries again.`)
  })
})
