import type { Connection } from '../store/connections'
import { countConnectionOpenConflicts, openConflictsAfter, type ConflictRow } from '../store/conflicts'
import type { Sql } from '../store/db'
import type { ConflictConfig } from './conflicts/config'
import { choicesByStrategy, timesNow } from './conflicts/strategy-choices'
import { CrmError, type CrmErrorType } from './errors'
import { decideConflict } from './review'
import { parseSettings } from './settings'
import type { ObjectType } from './types'

export interface OpenConflictsDecided {
  /** Decided with the strategy, applied as a person's Apply would. */
  decided: number
  /** Closed because the record is gone on one side (as Apply would). */
  dismissed: number
  /**
   * The connection's conflicts still open afterwards: a field still goes to a person, a
   * merged value the field cannot hold, the time ran out, or the strategy is manual review
   * (and any a sync opened meanwhile).
   */
  left: number
  /** The object types with a decided conflict: their chosen values wait for a push. */
  decidedTypes: ObjectType[]
  /** The time limit came before every conflict was looked at: the rest were left open. */
  stoppedEarly: boolean
}

export type StrategyOutcome = 'decided' | 'dismissed' | 'left'

const PAGE = 100

/**
 * Decides every open conflict of a connection with the strategy it has now, each through
 * `decideConflict`, the path a person's Apply takes (so the winning value is written in the
 * app or queued for HubSpot exactly as then). Asked for when a connection leaves manual
 * review; under manual review it decides nothing. Each conflict is its own transaction, so
 * one that cannot be decided (a field the strategy leaves to a person, or a person decided
 * it meanwhile) stays as it is and the others go on; each is decided on its values as they
 * are when it is locked (decideWithStrategy). Once `signal` fires, it stops between
 * conflicts and the rest stay open.
 */
export async function decideOpenConflicts(sql: Sql, connection: Pick<Connection, 'id' | 'tenantId' | 'settings'>,
  signal?: AbortSignal): Promise<OpenConflictsDecided> {
  const out: OpenConflictsDecided = { decided: 0, dismissed: 0, left: 0, decidedTypes: [], stoppedEarly: false }
  const config = parseSettings(connection.settings).conflicts
  const types = new Set<ObjectType>()
  if (config.strategy !== 'manual_review') {
    walk: for (let afterId = 0; ;) {
      const page = await openConflictsAfter(sql, connection.id, afterId, PAGE)
      if (page.length === 0) break
      afterId = page[page.length - 1].id
      for (const c of page) {
        if (signal?.aborted) {
          out.stoppedEarly = true
          break walk
        }
        const outcome = await decideWithStrategy(sql, connection.tenantId, c, config)
        if (outcome === 'decided') {
          out.decided++
          types.add(c.objectType)
        } else if (outcome === 'dismissed') out.dismissed++
      }
    }
  }
  out.decidedTypes = [...types]
  out.left = await countConnectionOpenConflicts(sql, connection.id)
  return out
}

// What a conflict read a moment ago can have become by the time it is locked: decided by a
// person, or taken on a field the strategy leaves to a person ('conflict'), or left without its
// record ('not_found'); and a merged value the field cannot hold ('validation': notes appended
// past the field's length). None is this save's failure: the conflict is left as it now is.
const CHANGED_SINCE_READ = new Set<CrmErrorType>(['conflict', 'validation', 'not_found'])

/**
 * One conflict, as read on a page of the queue, decided with `config` (or left open). The
 * strategy chooses inside the decision's transaction, on the conflict as locked and the app's
 * row as it is then (locked too), not on the page as read: an app edit of a conflicting field
 * made since the conflict opened (or since the page was read), or a CRM value a sync brought
 * meanwhile, is what it weighs. Chosen on the values as read and checked as a person's `seen`,
 * such an edit left the conflict open for good under an automatic strategy: a person was
 * not meant to look, and no later sync decides a waiting field.
 */
export async function decideWithStrategy(sql: Sql, tenantId: string, c: Pick<ConflictRow, 'id'>, config: ConflictConfig): Promise<StrategyOutcome> {
  try {
    const decision = await decideConflict(sql, tenantId, c.id, (now) => choicesByStrategy(now.conflict.objectType,
      { fields: now.conflict.fields, localSnapshot: now.local, remoteSnapshot: now.conflict.remote }, config,
      timesNow(now.conflict.fields, now.conflict, { fields: now.local, updatedAt: now.localUpdatedAt })),
    { decidedBy: config.strategy })
    return decision.status === 'resolved' ? 'decided' : 'dismissed'
  } catch (e) {
    if (e instanceof CrmError && CHANGED_SINCE_READ.has(e.type)) return 'left'
    throw e
  }
}

