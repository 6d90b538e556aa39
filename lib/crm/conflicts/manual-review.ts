import type { ConflictStrategy } from './types'

/** Both sides keep their value; resolve.ts lists the field for a person to decide. */
export const resolveByManualReview: ConflictStrategy = () =>
  ({ winner: 'none', reason: 'manual_review: both values kept until a person decides' })
