import fs from 'node:fs'
import net from 'node:net'
import type { z } from 'zod'

// Finding a local server another process runs (the embedded Postgres, the dev sandbox). It
// writes its address and pid to a file in the data dir (pglite.json, sandbox.json); a
// reader takes the record only while that process is still alive (a server killed before
// it could remove its file leaves one that names nothing), then checks the port answers.

/** The record in `file` if it parses and its `pid` is a live process; otherwise undefined. */
export function readLiveProcessRecord<T extends { pid: number }>(file: string, schema: z.ZodType<T>): T | undefined {
  let parsed
  try {
    parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')))
  } catch {
    return undefined
  }
  if (!parsed.success) return undefined
  try {
    process.kill(parsed.data.pid, 0)
  } catch {
    return undefined
  }
  return parsed.data
}

/** Whether something accepts TCP connections on `host:port` now. */
export function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
