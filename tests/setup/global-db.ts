import type { TestProject } from 'vitest/node'
import { connect } from '../../lib/store/db'
import { startEmbeddedPostgres } from '../../lib/store/embedded'
import { migrate } from '../../lib/store/migrate'

// One database per test run: an in-memory PGlite by default, or a fresh database on
// the server named by TEST_DATABASE_URL (created here, dropped afterwards).
export default async function setup(project: TestProject) {
  const server = process.env.TEST_DATABASE_URL
  let url: string
  let teardown: () => Promise<void>
  if (server) {
    const name = `syncline_test_${Date.now()}_${process.pid}`
    const admin = connect(server, { max: 1 })
    await admin.unsafe(`create database ${name}`)
    const u = new URL(server)
    u.pathname = `/${name}`
    url = u.toString()
    teardown = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  } else {
    const embedded = await startEmbeddedPostgres({ dataDir: null })
    url = embedded.url
    teardown = () => embedded.close()
  }
  const sql = connect(url, { max: 1 })
  await migrate(sql)
  await sql.end()
  project.provide('databaseUrl', url)
  process.env.DATABASE_URL = url
  return teardown
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
  }
}
