import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import { z } from 'zod'
import { acceptsConnections, readLiveProcessRecord } from '../local-server'
import { lockDataDir } from './data-dir-lock'
import { servePGliteConnection } from './pglite-connection'
import { createPGlite } from './pglite-create'
import { GroupedQueryQueue } from './pglite-queue'

// The embedded default: PGlite (real Postgres in WASM) persisted under the data dir
// and served on a local TCP socket, so the dev server, the CLI and the tests all reach
// it through the same Postgres client as production. Only one process may open the
// data dir; it advertises its port in `pglite.json` and every other process connects.

const serverFileSchema = z.object({ port: z.number().int(), pid: z.number().int() })

export interface EmbeddedPostgres {
  url: string
  close(): Promise<void>
}

export function embeddedUrl(port: number): string {
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`
}

/** Starts PGlite on a socket. `dataDir: null` keeps it in memory (tests). */
export async function startEmbeddedPostgres(opts: { dataDir: string | null; port?: number }): Promise<EmbeddedPostgres> {
  const pgdata = opts.dataDir ? path.join(opts.dataDir, 'pgdata') : undefined
  if (opts.dataDir) fs.mkdirSync(opts.dataDir, { recursive: true })
  const unlock = opts.dataDir ? lockDataDir(opts.dataDir) : () => {}
  let db: PGlite
  try {
    db = await createPGlite(pgdata)
  } catch (e) {
    unlock()
    throw e
  }
  const queue = new GroupedQueryQueue(db)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    servePGliteConnection(socket, queue)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as net.AddressInfo).port
  const serverFile = opts.dataDir ? path.join(opts.dataDir, 'pglite.json') : undefined
  if (serverFile) fs.writeFileSync(serverFile, JSON.stringify({ port, pid: process.pid }))
  return {
    url: embeddedUrl(port),
    async close() {
      if (serverFile) fs.rmSync(serverFile, { force: true })
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
      unlock()
    },
  }
}

/** The URL of an embedded server another live process is serving, if any. */
export async function findRunningEmbedded(dataDir: string): Promise<string | undefined> {
  const record = readLiveProcessRecord(path.join(dataDir, 'pglite.json'), serverFileSchema)
  if (!record) return undefined
  return (await acceptsConnections(record.port)) ? embeddedUrl(record.port) : undefined
}
