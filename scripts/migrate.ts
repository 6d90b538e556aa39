// npm run db:migrate — applies supabase/migrations to DATABASE_URL or the embedded database.
import { z } from 'zod'
import { env } from '../lib/env'
import { closeSql, getSql, migratedOnOpen } from '../lib/store/db'
import { migrate } from '../lib/store/migrate'
import { commandArgs } from './cli-args'
import { settingsOrExit } from './dev-settings'

commandArgs(`Usage: npm run db:migrate

Applies the migrations in supabase/migrations that DATABASE_URL's database (unset: the embedded
one under SYNCLINE_DATA_DIR, .data/ by default) has not had yet, each in its own transaction.
Takes no flags.`, {}, z.object({}))
settingsOrExit(env)

const sql = await getSql()
// Opening a new embedded database migrates it already: those count as applied by this command.
const applied = [...migratedOnOpen(), ...await migrate(sql)]
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Schema is up to date')
await closeSql()
