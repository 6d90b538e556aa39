// npm run rotate-token-key — seals every stored CRM token again under the current
// TOKEN_ENCRYPTION_KEY, opening old ones with TOKEN_ENCRYPTION_KEY_PREVIOUS. One transaction:
// if any token opens with no configured key, nothing is changed and the exit code is 1.
import { z } from 'zod'
import { rotateTokenKey } from '../lib/crm/auth/rotate-key'
import { env } from '../lib/env'
import { closeSql, getSql } from '../lib/store/db'
import { commandArgs } from './cli-args'
import { settingsOrExit } from './dev-settings'

commandArgs(`Usage: npm run rotate-token-key

Seals every CRM token stored in DATABASE_URL's database (unset: the embedded one) again under
TOKEN_ENCRYPTION_KEY, opening those sealed under an older key with TOKEN_ENCRYPTION_KEY_PREVIOUS
(comma-separated). One transaction: if any token opens with no configured key, nothing changes
and the exit code is 1. The rotation, step by step: README, "Deploying on Vercel + Supabase".
Takes no flags.`, {}, z.object({}))
settingsOrExit(env)

const sql = await getSql()
try {
  const result = await rotateTokenKey(sql)
  if (result.ok) {
    console.log(`Re-sealed ${result.moved} of ${result.total} stored secret(s) under the current TOKEN_ENCRYPTION_KEY`
      + (result.moved ? '' : ' (all were already under it)'))
  } else {
    console.error(`Nothing changed: ${result.unreadable.length} of ${result.total} stored secret(s) open with neither TOKEN_ENCRYPTION_KEY `
      + 'nor any key in TOKEN_ENCRYPTION_KEY_PREVIOUS. Add the key they were sealed with to TOKEN_ENCRYPTION_KEY_PREVIOUS and run again '
      + '(or connect these CRMs again):')
    for (const u of result.unreadable) console.error(`  connection ${u.connectionId} (tenant ${u.tenantId}${u.label ? `, ${u.label}` : ''})`)
    process.exitCode = 1
  }
} finally {
  await closeSql()
}
