import type { Connection } from '../store/connections'
import { openConflictsAfter } from '../store/conflicts'
import type { Sql } from '../store/db'
import { loadLinksByLocal } from '../store/links'
import { loadLocalRecords } from '../store/records'
import { choicesByStrategy } from './conflicts/strategy-choices'
import { CrmError } from './errors'
import { decideConflict } from './review'
import { parseSettings } from './settings'
import { OBJECT_TYPES } from './types'

export interface OpenConflictsDecided {
  /** Decided with the strategy, applied as a person's Apply would. */
  decided: number
  /** Closed because the record is gone on one side (as Apply would). */
  dismissed: number
  /** Still open: a field still goes to a person, or the app's record changed since. */
  left: number
}

const PAGE = 100

/**
 * Decides every open conflict of a connection with the strategy it has now, each through
 * `decideConflict`, the path a person's Apply takes (so the winning value is written in the
 * app or queued for HubSpot exactly as then). Asked for when a connection leaves manual
 * review; under manual review it decides nothing. Each conflict is its own transaction, so
 * one that cannot be decided (the app's record changed since, or a person decided it
 * meanwhile) stays as it is and the others go on.
 */
export async function decideOpenConflicts(sql: Sql, connection: Pick<Connection, 'id' | 'tenantId' | 'settings'>): Promise<OpenConflictsDecided> {
  const out: OpenConflictsDecided = { decided: 0, dismissed: 0, left: 0 }
  const config = parseSettings(connection.settings).conflicts
  if (config.strategy === 'manual_review') return out
  for (let afterId = 0; ;) {
    const page = await openConflictsAfter(sql, connection.id, afterId, PAGE)
    if (page.length === 0) return out
    afterId = page[page.length - 1].id
    for (const type of OBJECT_TYPES) {
      const ofType = page.filter((c) => c.objectType === type)
      if (ofType.length === 0) continue
      const ids = ofType.map((c) => c.localId)
      // The times the sync saw the conflicting edits made; for a conflict opened before those
      // were kept, the record's (the app row's, HubSpot's last modification as last read).
      const [locals, links] = await Promise.all([loadLocalRecords(sql, connection.tenantId, type, ids), loadLinksByLocal(sql, connection.id, type, ids)])
      for (const c of ofType) {
        const at = {
          local: c.localChangedAt ?? locals.get(c.localId)?.updatedAt ?? null,
          remote: c.remoteChangedAt ?? links.get(c.localId)?.remoteUpdatedAt ?? null,
        }
        const choices = choicesByStrategy(type, { fields: c.fields, localSnapshot: c.local, remoteSnapshot: c.remote }, config, at)
        if (!choices) {
          out.left++
          continue
        }
        try {
          const decision = await decideConflict(sql, connection.tenantId, c.id, choices, config.strategy)
          if (decision.status === 'resolved') out.decided++
          else out.dismissed++
        } catch (e) {
          if (!(e instanceof CrmError && e.type === 'conflict')) throw e
          out.left++
        }
      }
    }
  }
}
