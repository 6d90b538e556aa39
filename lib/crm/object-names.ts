import { z } from 'zod'
import { PLURAL, SYNC_OBJECT_TYPES, type SyncObjectType } from './types'

// The object types a sync may be limited to, by name: the plural every answer's keys and the
// CLI's --help use (contacts, deals), or the singular the engine uses (contact, deal), in any
// case. One parser for `npm run sync -- --objects` and POST /api/crm/sync's `objects`: the
// route took only the singular, and refused the names its own answers use.

const BY_NAME: Record<string, SyncObjectType> = Object.fromEntries(SYNC_OBJECT_TYPES.flatMap((t) => [[PLURAL[t], t], [t, t]]))

/** The names to offer: owners, companies, contacts, deals. */
export const OBJECT_NAME_LIST = SYNC_OBJECT_TYPES.map((t) => PLURAL[t]).join(', ')

/** The object types `names` say, each once, in the order given; or what is wrong with them. */
export function parseObjectNames(names: readonly string[]): { types: SyncObjectType[] } | { error: string } {
  const wanted = names.map((n) => n.trim().toLowerCase()).filter(Boolean)
  const unknown = wanted.filter((n) => !Object.hasOwn(BY_NAME, n))
  if (unknown.length > 0) return { error: `unknown object type ${unknown.map((n) => `"${n}"`).join(', ')}: expected ${OBJECT_NAME_LIST}` }
  if (wanted.length === 0) return { error: `no object type: expected ${OBJECT_NAME_LIST}` }
  return { types: [...new Set(wanted.map((n) => BY_NAME[n]))] }
}

/** POST /api/crm/sync's `objects`: a list of names, plural or singular. */
export const objectNamesSchema = z.array(z.string().max(40)).min(1).max(SYNC_OBJECT_TYPES.length * 2).transform((names, ctx) => {
  const parsed = parseObjectNames(names)
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error })
    return z.NEVER
  }
  return parsed.types
})
