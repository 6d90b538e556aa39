import fs from 'node:fs'
import path from 'node:path'

/**
 * One process at a time may open the embedded database's files: two PGlite instances on
 * one data dir would corrupt it. The lock is a file holding the owner's pid, created
 * exclusively; a lock whose process is gone (a crash, a kill -9) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, 'pgdata.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => fs.rmSync(file, { force: true })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const owner = Number(fs.readFileSync(file, 'utf8').trim())
      if (owner && isAlive(owner)) {
        throw new Error(`The embedded database in ${dataDir}/ is open in process ${owner} (npm run dev?). ` +
          'Stop that process, or point DATABASE_URL at a Postgres server.')
      }
      fs.rmSync(file, { force: true }) // left by a process that died
    }
  }
  throw new Error(`Could not lock ${file}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
