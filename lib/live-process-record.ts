import fs from 'node:fs'
import type { z } from 'zod'

// A server that other processes look for (the embedded Postgres's pglite.json, the dev
// sandbox's sandbox.json) writes its address and pid to a file in the data dir. A reader
// takes the record only while that process is still alive: a server killed before it could
// remove its file leaves one that names nothing.

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
