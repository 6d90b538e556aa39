import { PGlite } from '@electric-sql/pglite'

// Every PGlite this project opens (the embedded server, and the benchmark's COPY baseline,
// which must run on the same database to be a fair bar) is created here.

// A new 16 MB WAL segment is written full of zeros by default; in PGlite's file system
// (memory, or Node's fs under .data/) that stalled every statement for ~100 ms each time
// a segment filled. Off, only its last byte is written, as Postgres documents.
// https://www.postgresql.org/docs/current/runtime-config-wal.html#GUC-WAL-INIT-ZERO
const SETTINGS = ['-c', 'wal_init_zero=off']

/** `dataDir` undefined: in memory. */
export async function createPGlite(dataDir?: string): Promise<PGlite> {
  const db = await PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, ...SETTINGS] })
  if (!dataDir) growMemoryFilesInLargerSteps(db)
  return db
}

interface MemFile {
  contents: Uint8Array | null
  usedBytes: number
}

const DOUBLE_UP_TO = 64 * 2 ** 20

/**
 * In memory, every file Postgres writes (relations, indexes, WAL segments) is a typed array
 * in Emscripten's MEMFS, which grows a file past 1 MB by 12.5% at a time, copying it whole
 * each time: ~24 copies and ~128 MB copied to write one 16 MB WAL segment, and each new
 * array counts as external memory, so V8 runs full collections to keep up. Measured on a
 * 50,000-contact backfill: ~0.2 s of copying plus most of the database process's 0.4 s of
 * GC. Files double instead (up to 64 MB, then grow by a quarter): a WAL segment takes four
 * copies, and an in-memory database holds at most about twice what its files contain.
 * Only MEMFS is touched; a data dir on disk goes through NODEFS, which has no such step.
 */
function growMemoryFilesInLargerSteps(db: PGlite): void {
  const memfs = (db.Module.FS as unknown as { filesystems?: { MEMFS?: { expandFileStorage?: (node: MemFile, needed: number) => void } } })
    .filesystems?.MEMFS
  if (typeof memfs?.expandFileStorage !== 'function') return // another Emscripten: keep its own
  memfs.expandFileStorage = (node, needed) => {
    const capacity = node.contents?.length ?? 0
    if (capacity >= needed) return
    const grown = capacity < DOUBLE_UP_TO ? capacity * 2 : capacity + (capacity >>> 2)
    const next = new Uint8Array(Math.max(needed, grown, 256))
    if (node.contents && node.usedBytes > 0) next.set(node.contents.subarray(0, node.usedBytes))
    node.contents = next
  }
}
