// Small formatting helpers shared by server and client components.
import { taggedErrorType } from '@/lib/crm/errors'
import { isStopped } from '@/lib/crm/stopped'

export function timeAgo(iso: string | Date | null, now = Date.now()): string {
  if (!iso) return 'never'
  const date = new Date(iso)
  const s = Math.round((now - date.getTime()) / 1000)
  if (s < 5) return 'just now'
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`
  // The year only when it is not this one: "Dec 5" eleven months on would read as this December.
  const year = date.getFullYear() === new Date(now).getFullYear() ? undefined : 'numeric'
  return date.toLocaleDateString('en', { month: 'short', day: 'numeric', year })
}

export function duration(ms: number | null): string {
  if (ms === null) return '—'
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

export { counted, figure } from '@/lib/counted'

/**
 * An error as a person reads it: without the type tag the engine leads it with
 * ("[transient] HubSpot 500: internal error"), which the logs and the API keep.
 */
export function shownError(message: string): string {
  return message.replace(/^\[[a-z_]+\]\s*/, '')
}

/**
 * What to do about a run's error, from the type tag the engine leads it with (lib/crm/errors.ts):
 * the card showed "HubSpot 500: internal error" and left a person to guess whether to wait, retry or
 * reconnect. Null where the message says it (stopped: "the next run goes on from here") or the type
 * has no one next step.
 */
export function errorNextStep(message: string): string | null {
  switch (taggedErrorType(message)) {
    case 'transient': case 'bad_response': case 'rate_limited': return 'The next sync tries again.'
    case 'daily_limit': return 'HubSpot’s daily API limit is spent: syncing resumes once it resets.'
    case 'auth_expired': case 'forbidden': return 'Reconnect HubSpot, then Refresh CRM.'
    case 'schema': return 'Fix the app’s tables as the message says, then Refresh CRM.'
    default: return null
  }
}

/** A run or a webhook drain stopped early (a time limit, Ctrl-C) is not an error: the next one goes on from there. */
export function errorTone(message: string): 'text-amber-700' | 'text-rose-600' {
  return isStopped(message) ? 'text-amber-700' : 'text-rose-600'
}

export const OBJECT_LABEL = { owner: 'Owners', company: 'Companies', contact: 'Contacts', deal: 'Deals' } as const

const OBJECT_ONE: Record<string, string> = { owner: 'Owner', company: 'Company', contact: 'Contact', deal: 'Deal' }

/** One record's type as a heading names it ("Contact · Ada Lovelace"), not the code's 'contact'; an unknown type as it is. */
export function objectName(type: string): string {
  return OBJECT_ONE[type] ?? type
}

/** Sends JSON (POST or PATCH) and returns the parsed answer, or throws with the server's message. */
export async function postJson<T = unknown>(path: string, body: unknown, method: 'POST' | 'PATCH' = 'POST'): Promise<T> {
  const res = await fetch(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const data = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(data?.error?.message ?? `${res.status} ${res.statusText}`)
  return data as T
}
