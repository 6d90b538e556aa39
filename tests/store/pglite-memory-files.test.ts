import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { PGlite } from '@electric-sql/pglite'
import { createPGlite } from '../../lib/store/pglite-create'

// The in-memory database's file growth (lib/store/pglite-create.ts): a table written past
// 1 MB, past the 64 MB where doubling stops, reads back exactly, and its file grew in a
// handful of steps rather than MEMFS's 12.5% ones (43 steps for this table).

interface MemFile { name: string; contents: Uint8Array | null; usedBytes: number }
type Expand = (node: MemFile, needed: number) => void

const ROWS = 450_000 // 128-character rows: a ~75 MB heap file
let db: PGlite
const growths = new Map<string, number>()

beforeAll(async () => {
  db = await createPGlite()
  const memfs = (db.Module.FS as unknown as { filesystems: { MEMFS: { expandFileStorage: Expand } } }).filesystems.MEMFS
  const expand = memfs.expandFileStorage
  memfs.expandFileStorage = (node, needed) => {
    if ((node.contents?.length ?? 0) < needed) growths.set(node.name, (growths.get(node.name) ?? 0) + 1)
    expand(node, needed)
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
