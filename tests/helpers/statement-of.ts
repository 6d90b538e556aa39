import postgres from 'postgres'
import { inject } from 'vitest'
import type { Db } from '../../lib/store/db'

/** The last statement `run` sends, as sent (text and parameters), read through a debug connection (which first reads the array types). */
export async function statementOf(run: (db: Db) => Promise<unknown>): Promise<{ text: string; params: unknown[] }> {
  const seen: Array<{ text: string; params: unknown[] }> = []
  const db = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {}, debug: (_c, text, params) => { seen.push({ text, params }) } })
  try {
    await run(db as unknown as Db)
  } finally {
    await db.end()
  }
  return seen[seen.length - 1]
}

/** Every statement `run` sends, in order, as sent (the debug connection's own reads of the array types left out). */
export async function statementsOf(run: (db: Db) => Promise<unknown>): Promise<Array<{ text: string; params: unknown[] }>> {
  const seen: Array<{ text: string; params: unknown[] }> = []
  const db = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {}, debug: (_c, text, params) => { seen.push({ text, params }) } })
  try {
    await db`select 1`
    const before = seen.length
    await run(db as unknown as Db)
    return seen.slice(before)
  } finally {
    await db.end()
  }
}
