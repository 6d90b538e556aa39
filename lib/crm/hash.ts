// Content hashes: one per record, to skip records whose content has not changed, and one
// per field, remembered on the link, to tell which side changed a field since the last sync
// and to recognise our own pushes when they come back (echoes are known by content, not
// by origin stamp). Stored in the database: changing the recipe re-syncs everything once.
import * as crypto from 'node:crypto'
import type { Fields } from './types'

export const RECORD_HASH_LENGTH = 16
export const FIELD_HASH_LENGTH = 12
/** The hash of an empty field; not hex, so no value can hash to it. */
export const EMPTY_FIELD_HASH = 'empty'

// crypto.hash is the one-shot form, ~3× faster than createHash; Node < 20.12 lacks it.
const sha1Hex: (data: string) => string = typeof crypto.hash === 'function'
  ? (data) => crypto.hash('sha1', data, 'hex')
  : (data) => crypto.createHash('sha1').update(data).digest('hex')

/**
 * One hash for the whole record, independent of key order. An empty field ('' or null)
 * counts as absent, so a store that returns nulls and a CRM that omits them agree.
 */
export function hashFields(fields: Fields): string {
  const keys = Object.keys(fields).sort()
  const present: (string | null)[] = []
  for (const key of keys) {
    const value = fields[key]
    if (value !== null && value !== '') present.push(key, value)
  }
  return sha1Hex(JSON.stringify(present)).slice(0, RECORD_HASH_LENGTH)
}

export function hashFieldValue(value: string | null | undefined): string {
  if (value == null || value === '') return EMPTY_FIELD_HASH
  return sha1Hex(value).slice(0, FIELD_HASH_LENGTH)
}

/** Per-field hashes of the fields given; the field name is not part of the hash. */
export function hashFieldValues(fields: Fields): Record<string, string> {
  const hashes: Record<string, string> = {}
  for (const field in fields) hashes[field] = hashFieldValue(fields[field])
  return hashes
}
