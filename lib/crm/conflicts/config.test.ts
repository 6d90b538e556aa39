import { describe, expect, it } from 'vitest'
import { conflictConfigSchema, defaultConflictConfig, ownerOf, strategyFor } from './config'

describe('conflictConfigSchema', () => {
  it('fills the defaults', () => {
    expect(defaultConflictConfig).toEqual({
      strategy: 'timestamp_based', sourcePriority: ['crm', 'app'], neverOverwriteWithEmpty: true, tiebreak: 'crm',
    })
  })

  it('lists every problem at once', () => {
    const result = conflictConfigSchema.safeParse({
      strategy: 'newest', perField: { 'lead.email': 'manual_review' }, sourcePriority: ['crm', 'crm'], tiebreak: 'hubspot',
    })
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(['strategy', 'perField', 'sourcePriority', 'tiebreak'])
  })

  it.each([
    [{}, 'contact', 'email', 'timestamp_based'],
    [{ strategy: 'field_merge' }, 'contact', 'email', 'field_merge'],
    [{ strategy: 'field_merge', perObject: { contact: 'source_priority' } }, 'contact', 'email', 'source_priority'],
    [{ perObject: { contact: 'source_priority' } }, 'deal', 'name', 'timestamp_based'],
    [{ perObject: { contact: 'source_priority' }, perField: { 'contact.email': 'manual_review' } }, 'contact', 'email', 'manual_review'],
    [{ perField: { 'contact.email': 'manual_review' } }, 'contact', 'phone', 'timestamp_based'],
  ] as const)('%j: %s.%s uses %s', (input, objectType, field, strategy) => {
    expect(strategyFor(conflictConfigSchema.parse(input), objectType, field)).toBe(strategy)
  })

  it('knows who owns a field', () => {
    const config = conflictConfigSchema.parse({ fieldOwnership: { 'contact.lifecycleStage': 'crm' } })
    expect(ownerOf(config, 'contact', 'lifecycleStage')).toBe('crm')
    expect(ownerOf(config, 'company', 'lifecycleStage')).toBe(undefined)
  })
})
