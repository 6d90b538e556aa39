import { encryptSecret, openSecret } from '../../secrets'
import type { Sql } from '../../store/db'
import { lockAllSealedCredentials, resealCredentials, type SealedCredentials } from '../../store/sealed-credentials'

// `npm run rotate-token-key`: every stored secret sealed again under the current
// TOKEN_ENCRYPTION_KEY, so the previous key can be dropped. All or nothing, in one transaction.

export type RotationResult =
  | { ok: true; moved: number; total: number }
  /** Some values open with no configured key: nothing was changed. */
  | { ok: false; unreadable: Omit<SealedCredentials, 'sealed'>[]; total: number }

export async function rotateTokenKey(sql: Sql): Promise<RotationResult> {
  return sql.begin(async (tx) => {
    const stored = await lockAllSealedCredentials(tx)
    const opened = stored.map((s) => ({ ...s, opened: tryOpen(s.sealed) }))
    const unreadable = opened.filter((s) => s.opened === undefined)
    // Checked before anything is written: a value no key opens is a key missing from the
    // configuration, and the operator should add it and run again, not find half moved.
    if (unreadable.length) return { ok: false, total: stored.length, unreadable: unreadable.map(({ connectionId, tenantId, label }) => ({ connectionId, tenantId, label })) }
    let moved = 0
    for (const s of opened) {
      if (!s.opened?.underPreviousKey) continue
      // Sealed again as the value it was, not parsed: whatever a connection stores moves as is.
      if (await resealCredentials(tx, s.connectionId, s.sealed, encryptSecret(s.opened.plain))) moved++
    }
    return { ok: true, moved, total: stored.length }
  })
}

function tryOpen(sealed: string): { plain: string; underPreviousKey: boolean } | undefined {
  try {
    return openSecret(sealed)
  } catch {
    return undefined
  }
}
