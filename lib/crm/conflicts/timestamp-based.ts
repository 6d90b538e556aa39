import { SIDE_OF_SYSTEM, type ConflictStrategy } from './types'

/**
 * The newest change wins. A tie, or a side whose change time is unknown, goes to the
 * configured tiebreak: an unknown time is not "older", it is unknown.
 */
export const resolveByTimestamp: ConflictStrategy = ({ localAt, remoteAt, config }) => {
  if (localAt && remoteAt && localAt.getTime() !== remoteAt.getTime()) {
    return localAt > remoteAt
      ? { winner: 'local', reason: 'timestamp_based: the app changed it last' }
      : { winner: 'remote', reason: 'timestamp_based: the CRM changed it last' }
  }
  const why = localAt && remoteAt ? 'changed at the same instant' : 'a change time is unknown'
  return { winner: SIDE_OF_SYSTEM[config.tiebreak], reason: `timestamp_based: ${why}, tiebreak ${config.tiebreak}` }
}
