// npm run db:migrate — applies supabase/migrations to DATABASE_URL or the embedded database.
import { closeSql, getSql } from '../lib/store/db'
import { migrate } from '../lib/store/migrate'

const sql = await getSql()
const applied = await migrate(sql)
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Schema is up to date')
await closeSql()
