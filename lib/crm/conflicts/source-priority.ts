import type { System } from './config'
import { SIDE_OF_SYSTEM, type ConflictStrategy } from './types'

export const resolveBySourcePriority: ConflictStrategy = ({ config }) => {
  const rank = (system: System) => {
    const i = config.sourcePriority.indexOf(system)
    return i === -1 ? Infinity : i
  }
  const first: System = rank('crm') === rank('app') ? config.tiebreak : rank('crm') < rank('app') ? 'crm' : 'app'
  return { winner: SIDE_OF_SYSTEM[first], reason: `source_priority: ${config.sourcePriority.join(' > ')}` }
}
