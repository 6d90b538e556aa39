import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../lib/store/embedded'

it('a second process cannot open the embedded database while the first has it; a dead holder\'s lock is taken over', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'syncline-lock-'))
  try {
    const first = await startEmbeddedPostgres({ dataDir: dir })
    await expect(startEmbeddedPostgres({ dataDir: dir })).rejects.toThrow(/is open in process \d+/)
    await first.close()
    // A crashed holder leaves its lock behind with a pid that no longer runs.
    fs.writeFileSync(path.join(dir, 'pgdata.lock'), '2147483646')
    const again = await startEmbeddedPostgres({ dataDir: dir })
    await again.close()
    expect(fs.existsSync(path.join(dir, 'pgdata.lock'))).toBe(false)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
