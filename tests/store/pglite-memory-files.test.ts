import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { PGlite } from '@electric-sql/pglite'
import { createPGlite } from '../../lib/store/pglite-create'

// The in-memory database's file growth (lib/store/pglite-create.ts): a table written past
// 1 MB, past the 64 MB where doubling stops, reads back exactly, and its file grew in a
// handful of steps rather than MEMFS's 12.5% ones (43 steps for this table) or one copy
// per extension when Postgres grows it with posix_fallocate (MEMFS's exact-size resize).

interface MemFile { name: string; contents: Uint8Array | null; usedBytes: number }
type Resize = (node: MemFile, size: number) => void
interface MemFs { expandFileStorage: Resize; resizeFileStorage: Resize }
interface Fs {
  lookupPath(p: string): { node: MemFile }
  writeFile(p: string, data: Uint8Array): void
  readFile(p: string): Uint8Array
  truncate(p: string, size: number): void
  open(p: string, flags: string): unknown
  write(stream: unknown, data: Uint8Array, offset: number, length: number, position: number): number
  close(stream: unknown): void
}

const ROWS = 450_000 // 128-character rows: a ~75 MB heap file
let db: PGlite
const growths = new Map<string, number>()

beforeAll(async () => {
  db = await createPGlite()
  const memfs = (db.Module.FS as unknown as { filesystems: { MEMFS: MemFs } }).filesystems.MEMFS
  // Every new array a file gets is a copy of it: count them, whichever way the file grew.
  for (const step of ['expandFileStorage', 'resizeFileStorage'] as const) {
    const inner = memfs[step]
    memfs[step] = (node, size) => {
      const before = node.contents
      inner(node, size)
      if (node.contents !== before && before && before.length > 0) growths.set(node.name, (growths.get(node.name) ?? 0) + 1)
    }
  }
  await db.exec(`create table t (i int primary key, v text);
    insert into t select i, md5(i::text) || md5((i + 1)::text) || md5((i + 2)::text) || md5((i + 3)::text)
      from generate_series(1, ${ROWS}) i`)
}, 60_000)
afterAll(async () => {
  await db.close()
})

const md5 = (s: string) => createHash('md5').update(s).digest('hex')
const expected = (i: number) => md5(String(i)) + md5(String(i + 1)) + md5(String(i + 2)) + md5(String(i + 3))

it('reads back every row written across the growth steps', async () => {
  const { rows: [totals] } = await db.query<{ n: number; bytes: number }>(`select count(*)::int as n, sum(length(v))::int as bytes from t`)
  expect(totals).toEqual({ n: ROWS, bytes: ROWS * 128 })
  const ids = [1, 2, 8_000, 65_536, 200_001, 399_999, 449_000, ROWS]
  const { rows } = await db.query<{ i: number; v: string }>(`select i, v from t where i = any($1::int[]) order by i`, [ids])
  expect(rows).toEqual(ids.map((i) => ({ i, v: expected(i) })))
})

it('grows the table past 64 MB in few steps and holds at most twice what it uses', async () => {
  const { rows: [{ path }] } = await db.query<{ path: string }>(`select pg_relation_filepath('t') as path`)
  const FS = db.Module.FS as unknown as { lookupPath(p: string): { node: MemFile } }
  const file = FS.lookupPath(`/pglite/data/${path}`).node
  expect(file.usedBytes).toBeGreaterThan(64 * 2 ** 20)
  expect(file.contents!.length).toBeLessThanOrEqual(2 * file.usedBytes)
  expect(growths.get(file.name)).toBeLessThanOrEqual(20)
})

it('grows a table that COPY extends (posix_fallocate, 64 blocks at a time) in few copies', async () => {
  const lines = Array.from({ length: 200_000 }, (_, i) => `${i},${expected(i)}`).join('\n')
  await db.exec(`create table copied (i int, v text)`)
  await db.query(`copy copied from '/dev/blob' with (format csv)`, [], { blob: new Blob([lines]) })
  const { rows: [{ path, n }] } = await db.query<{ path: string; n: number }>(
    `select pg_relation_filepath('copied') as path, (select count(*)::int from copied) as n`)
  expect(n).toBe(200_000)
  const file = (db.Module.FS as unknown as Fs).lookupPath(`/pglite/data/${path}`).node
  expect(file.usedBytes).toBeGreaterThan(32 * 2 ** 20)
  expect(growths.get(file.name)).toBeLessThanOrEqual(20)
})

it('reads zeros where a file cut short is grown again, by truncate or by a write past its end', () => {
  const FS = db.Module.FS as unknown as Fs
  const file = '/tmp/syncline-memfs-check'
  FS.writeFile(file, new Uint8Array(4096).fill(7))
  FS.truncate(file, 100) // keeps its 4 KB array (not under a quarter of it)
  FS.truncate(file, 3000)
  expect([...FS.readFile(file)]).toEqual([...new Uint8Array(100).fill(7), ...new Uint8Array(2900)])
  FS.truncate(file, 50)
  const stream = FS.open(file, 'r+')
  FS.write(stream, new Uint8Array([9]), 0, 1, 2000)
  FS.close(stream)
  expect([...FS.readFile(file)]).toEqual([...new Uint8Array(50).fill(7), ...new Uint8Array(1950), 9])
  FS.truncate(file, 10) // under a quarter: a new, smaller array
  expect(FS.lookupPath(file).node.contents!.length).toBe(10)
  expect([...FS.readFile(file)]).toEqual([...new Uint8Array(10).fill(7)])
})
