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
 * `extra` is hashed as if spread over `fields` ({ ...fields, ...extra }), without building
 * that object: the merged copy cost three times the hash itself on a backfill.
 */
export function hashFields(fields: Fields, extra?: Fields): string {
  const keys = Object.keys(fields)
  if (extra) for (const key in extra) if (!Object.hasOwn(fields, key)) keys.push(key)
  keys.sort()
  const present: (string | null)[] = []
  for (const key of keys) {
    const value = extra !== undefined && Object.hasOwn(extra, key) ? extra[key] : fields[key]
    if (value !== null && value !== '') present.push(key, value)
  }
  return sha1Hex(JSON.stringify(present)).slice(0, RECORD_HASH_LENGTH)
}

// Most field values repeat across records (stages, statuses, owners, first names, the same
// company): a bounded memo answers those without a call into OpenSSL (~0.4 µs each, ~12
// fields a record). Short values only, and cleared when full, so it stays under ~1 MB.
const FIELD_MEMO_LIMIT = 10_000
const FIELD_MEMO_MAX_LENGTH = 64
const fieldMemo = new Map<string, string>()

export function hashFieldValue(value: string | null | undefined): string {
  if (value == null || value === '') return EMPTY_FIELD_HASH
  let hash = fieldMemo.get(value)
  if (hash === undefined) {
    hash = sha1Hex(value).slice(0, FIELD_HASH_LENGTH)
    if (value.length <= FIELD_MEMO_MAX_LENGTH) {
      if (fieldMemo.size >= FIELD_MEMO_LIMIT) fieldMemo.clear()
      fieldMemo.set(value, hash)
    }
  }
  return hash
}

/** Per-field hashes of the fields given; the field name is not part of the hash. */
export function hashFieldValues(fields: Fields): Record<string, string> {
  const hashes: Record<string, string> = {}
  for (const field in fields) hashes[field] = hashFieldValue(fields[field])
  return hashes
}
