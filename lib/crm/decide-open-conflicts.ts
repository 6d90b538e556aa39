import type { Connection } from '../store/connections'
import { countConnectionOpenConflicts, openConflictsAfter, type ConflictRow } from '../store/conflicts'
import type { Sql } from '../store/db'
import type { ConflictConfig } from './conflicts/config'
import { seenValues } from './conflicts/app-side'
import { choicesByStrategy } from './conflicts/strategy-choices'
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
   * The connection's conflicts still open afterwards: a field still goes to a person, the
   * conflict or its record changed since, the time ran out, or the strategy is manual review.
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
 * one that cannot be decided (the app's record changed since, or a person decided it
 * meanwhile) stays as it is and the others go on. Once `signal` fires, it stops between
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
// person ('conflict'), given another field list by a pull or webhook ('validation': the
// choices name fields it no longer holds, or miss one), or left without its record
// ('not_found'). None is this save's failure: the conflict is left as it now is.
const CHANGED_SINCE_READ = new Set<CrmErrorType>(['conflict', 'validation', 'not_found'])

/** One conflict, as read on a page of the queue, decided with `config` (or left open). */
export async function decideWithStrategy(sql: Sql, tenantId: string, c: ConflictRow, config: ConflictConfig): Promise<StrategyOutcome> {
  // The times the sync saw each side's edit made. A conflict opened before they were kept has
  // none, and then the strategy's tie-break settles "the newer edit wins": the app row's
  // updated_at is no stand-in, as a pull may have moved it to its own time since.
  const at = { local: c.localChangedAt, remote: c.remoteChangedAt }
  const choices = choicesByStrategy(c.objectType, { fields: c.fields, localSnapshot: c.local, remoteSnapshot: c.remote }, config, at)
  if (!choices) return 'left'
  try {
    // Chosen on the values as read, the stored snapshots: an app edit the sync has not seen
    // yet, or a CRM value refreshed since the read, leaves the conflict for a person, as the
    // strategy did not weigh it (nor, for the newer edit wins, when the app made it).
    const decision = await decideConflict(sql, tenantId, c.id, choices, { decidedBy: config.strategy, seen: seenValues(c.fields, c.local, c.remote) })
    return decision.status === 'resolved' ? 'decided' : 'dismissed'
  } catch (e) {
    if (e instanceof CrmError && CHANGED_SINCE_READ.has(e.type)) return 'left'
    throw e
  }
}
