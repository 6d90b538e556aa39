import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * `Authorization: Bearer <secret>` checked in constant time. Both sides are hashed first,
 * so neither the secret's length nor its prefix leaks through timing.
 * https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs
 */
export function bearerMatches(header: string | null, secret: string | undefined): boolean {
  if (!secret || !header) return false
  const match = /^Bearer (.+)$/.exec(header.trim())
  if (!match) return false
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(match[1]), digest(secret))
}
