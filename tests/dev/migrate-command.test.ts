import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// `npm run db:migrate` on a fresh checkout's embedded database: opening it applies the
// migrations, and the command said "Schema is up to date" after every one of them had just
// been applied by it. What it reports is what it did.

const migrations = fs.readdirSync('supabase/migrations').filter((f) => f.endsWith('.sql')).map((f) => f.split('_')[0]).sort()

function migrateCommand(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, SYNCLINE_DATA_DIR: dataDir }
  for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'NODE_ENV']) delete env[k]
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], { cwd: process.cwd(), env, encoding: 'utf8', timeout: 120_000 })
}

describe('npm run db:migrate on the embedded database', () => {
  it('a new data dir: names every migration it applied; run again: up to date', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-migrate-'))
    try {
      const first = migrateCommand(path.join(dir, 'data'))
      expect(first.status, first.stderr).toBe(0)
      expect(first.stdout.trim()).toBe(`Applied ${migrations.join(', ')}`)
      const again = migrateCommand(path.join(dir, 'data'))
      expect(again.status, again.stderr).toBe(0)
      expect(again.stdout.trim()).toBe('Schema is up to date')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 240_000)
})
