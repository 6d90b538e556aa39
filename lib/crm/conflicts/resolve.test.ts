import { describe, expect, it } from 'vitest'
import { conflictConfigSchema, type ConflictConfigInput } from './config'
import { resolveChanges } from './resolve'
import type { FieldState, Resolution } from './types'

const state = (local: string | null, remote: string | null, changed: 'local' | 'remote' | 'both' | 'neither'): FieldState => ({
  local, remote,
  localChanged: changed === 'local' || changed === 'both',
  remoteChanged: changed === 'remote' || changed === 'both',
  localAt: new Date('2026-01-10T10:05:00Z'), // the app's edit is always the newer one here
  remoteAt: new Date('2026-01-10T10:00:00Z'),
})

type Writes = Omit<Resolution, 'decisions'>
const none: Writes = { toLocal: {}, toRemote: {}, conflicts: [] }

const table: { name: string; field: string; state: FieldState; config?: ConflictConfigInput; held?: boolean; expected: Writes; winner: string }[] = [
  // One side changed: that side wins, whatever the strategy.
  { name: "a rep's CRM edit reaches the app", field: 'jobTitle', state: state('CTO', 'CEO', 'remote'),
    expected: { ...none, toLocal: { jobTitle: 'CEO' } }, winner: 'remote' },
  { name: "the app's edit reaches the CRM", field: 'jobTitle', state: state('CEO', 'CTO', 'local'),
    expected: { ...none, toRemote: { jobTitle: 'CEO' } }, winner: 'local' },
  { name: 'a one-sided change wins even under manual_review', field: 'jobTitle', state: state('CEO', 'CTO', 'local'),
    config: { strategy: 'manual_review' }, expected: { ...none, toRemote: { jobTitle: 'CEO' } }, winner: 'local' },
  { name: 'a rep clearing a field in the CRM is applied: an edit, not a conflict', field: 'phone',
    state: state('+14155550100', null, 'remote'), expected: { ...none, toLocal: { phone: null } }, winner: 'remote' },
  { name: 'a user clearing a field in the app is applied to the CRM', field: 'phone',
    state: state(null, '+14155550100', 'local'), expected: { ...none, toRemote: { phone: null } }, winner: 'local' },
  // Neither, or both to the same value.
  { name: 'nothing changed: nothing written, even if the values differ', field: 'jobTitle', state: state('CTO', 'CEO', 'neither'),
    expected: none, winner: 'none' },
  { name: 'both changed to the same value: no conflict', field: 'jobTitle', state: state('CEO', 'CEO', 'both'),
    config: { strategy: 'manual_review' }, expected: none, winner: 'none' },
  { name: "both cleared ('' and null are both empty): no conflict", field: 'jobTitle', state: state('', null, 'both'),
    config: { strategy: 'manual_review' }, expected: none, winner: 'none' },
  // The empty guard, on conflicts only.
  { name: 'guard on: the newer clear does not overwrite the other side', field: 'phone',
    state: state(null, '+14155550100', 'both'), expected: { ...none, toLocal: { phone: '+14155550100' } }, winner: 'remote' },
  { name: 'guard off: the newer clear wins', field: 'phone', state: state(null, '+14155550100', 'both'),
    config: { neverOverwriteWithEmpty: false }, expected: { ...none, toRemote: { phone: null } }, winner: 'local' },
  { name: 'guard on, source_priority: the CRM emptied it, the app keeps its value and sends it back', field: 'jobTitle',
    state: state('CEO', null, 'both'), config: { strategy: 'source_priority' },
    expected: { ...none, toRemote: { jobTitle: 'CEO' } }, winner: 'local' },
  { name: 'the guard does not pull a clear-versus-edit out of manual review', field: 'jobTitle',
    state: state(null, 'CEO', 'both'), config: { strategy: 'manual_review' },
    expected: { ...none, conflicts: ['jobTitle'] }, winner: 'none' },
  // Strategy resolution: perField > perObject > strategy.
  { name: 'perObject overrides the connection strategy', field: 'jobTitle', state: state('CEO', 'CTO', 'both'),
    config: { strategy: 'timestamp_based', perObject: { contact: 'source_priority' } },
    expected: { ...none, toLocal: { jobTitle: 'CTO' } }, winner: 'remote' },
  { name: "another object's override does not apply", field: 'jobTitle', state: state('CEO', 'CTO', 'both'),
    config: { strategy: 'timestamp_based', perObject: { deal: 'source_priority' } },
    expected: { ...none, toRemote: { jobTitle: 'CEO' } }, winner: 'local' },
  { name: 'perField overrides perObject', field: 'jobTitle', state: state('CEO', 'CTO', 'both'),
    config: { perObject: { contact: 'source_priority' }, perField: { 'contact.jobTitle': 'manual_review' } },
    expected: { ...none, conflicts: ['jobTitle'] }, winner: 'none' },
  // Ownership: an owned field only ever flows from its owner.
  { name: 'owned by the CRM: its change wins a conflict the timestamps would give the app', field: 'lifecycleStage',
    state: state('customer', 'opportunity', 'both'), config: { fieldOwnership: { 'contact.lifecycleStage': 'crm' } },
    expected: { ...none, toLocal: { lifecycleStage: 'opportunity' } }, winner: 'remote' },
  { name: "owned by the CRM: an app-only edit is reverted to the CRM's value", field: 'lifecycleStage',
    state: state('customer', 'lead', 'local'), config: { fieldOwnership: { 'contact.lifecycleStage': 'crm' } },
    expected: { ...none, toLocal: { lifecycleStage: 'lead' } }, winner: 'remote' },
  { name: 'owned by the app: a CRM-only edit is reverted in the CRM', field: 'lifecycleStage',
    state: state('customer', 'lead', 'remote'), config: { fieldOwnership: { 'contact.lifecycleStage': 'app' } },
    expected: { ...none, toRemote: { lifecycleStage: 'customer' } }, winner: 'local' },
  { name: "owned: the owner's clear flows, the empty guard does not apply", field: 'lifecycleStage',
    state: state('customer', null, 'both'), config: { fieldOwnership: { 'contact.lifecycleStage': 'crm' } },
    expected: { ...none, toLocal: { lifecycleStage: null } }, winner: 'remote' },
  { name: 'ownership beats manual review', field: 'lifecycleStage', state: state('customer', 'lead', 'both'),
    config: { strategy: 'manual_review', fieldOwnership: { 'contact.lifecycleStage': 'crm' } },
    expected: { ...none, toLocal: { lifecycleStage: 'lead' } }, winner: 'remote' },
  { name: 'owned, unchanged on both sides: nothing written', field: 'lifecycleStage', state: state('customer', 'lead', 'neither'),
    config: { fieldOwnership: { 'contact.lifecycleStage': 'crm' } }, expected: none, winner: 'none' },
  // Held in an open conflict: a person's to decide, whatever the strategy is now.
  { name: 'held: the strategy that would give it to the CRM does not', field: 'jobTitle', state: state('CEO', 'CTO', 'both'),
    config: { strategy: 'source_priority' }, held: true, expected: { ...none, conflicts: ['jobTitle'] }, winner: 'none' },
  { name: 'held: the newer app edit is not sent either', field: 'jobTitle', state: state('CEO', 'CTO', 'both'),
    config: { strategy: 'timestamp_based' }, held: true, expected: { ...none, conflicts: ['jobTitle'] }, winner: 'none' },
  { name: 'held: a change on one side alone since it opened waits too', field: 'jobTitle', state: state('CEO', 'CTO', 'remote'),
    held: true, expected: { ...none, conflicts: ['jobTitle'] }, winner: 'none' },
  { name: 'held: ownership given since does not take it either', field: 'lifecycleStage', state: state('customer', 'lead', 'both'),
    config: { fieldOwnership: { 'contact.lifecycleStage': 'crm' } }, held: true, expected: { ...none, conflicts: ['lifecycleStage'] }, winner: 'none' },
  { name: 'held, both sides now agree: nothing to write and no conflict left', field: 'jobTitle', state: state('CEO', 'CEO', 'both'),
    held: true, expected: none, winner: 'none' },
]

describe('resolveChanges', () => {
  it.each(table)('$name', ({ field, state, config, held, expected, winner }) => {
    const { decisions, ...writes } = resolveChanges({ objectType: 'contact', fields: { [field]: state } },
      conflictConfigSchema.parse(config ?? {}), held ? new Set([field]) : undefined)
    expect(writes).toEqual(expected)
    expect(decisions[field].winner).toBe(winner)
    expect(decisions[field].reason).not.toBe('')
  })

  it('settles each field of a record on its own', () => {
    const resolution = resolveChanges({
      objectType: 'contact',
      fields: {
        email: state('jane@acme.com', 'jane@acme.com', 'neither'),
        jobTitle: state('CTO', 'CEO', 'remote'),
        phone: state('+14155550100', '+14155550199', 'local'),
        description: state('app note', 'crm note', 'both'),
      },
    }, conflictConfigSchema.parse({ perField: { 'contact.description': 'manual_review' } }))
    expect(resolution).toMatchObject({
      toLocal: { jobTitle: 'CEO' },
      toRemote: { phone: '+14155550100' },
      conflicts: ['description'],
    })
    expect(Object.keys(resolution.decisions)).toEqual(['email', 'jobTitle', 'phone', 'description'])
  })
})
