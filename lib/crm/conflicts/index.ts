export * from './config'
export * from './types'
export { CONFLICT_STRATEGIES, resolveChanges } from './resolve'
export { applyReviewDecision, type ReviewChoice, type ReviewOutcome, type StoredConflict } from './review-decision'
