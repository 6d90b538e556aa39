import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'

// Every PGlite this project opens (the embedded server, and the benchmark's COPY baseline,
// which must run on the same database to be a fair bar) is created here.

// A new 16 MB WAL segment is written full of zeros by default; in PGlite's file system
// (memory, or Node's fs under .data/) that stalled every statement for ~100 ms each time
// a segment filled. Off, only its last byte is written, as Postgres documents.
// https://www.postgresql.org/docs/current/runtime-config-wal.html#GUC-WAL-INIT-ZERO
const SETTINGS = ['-c', 'wal_init_zero=off']

// Extensions a migration creates must be bundled into the instance when it is created:
// pg_trgm, for the leads search's trigram indexes (migration 20261202160000).
// https://pglite.dev/extensions/#pg-trgm
const EXTENSIONS = { pg_trgm }

/** `dataDir` undefined: in memory. */
export async function createPGlite(dataDir?: string): Promise<PGlite> {
  const db = await PGlite.create({ dataDir, extensions: EXTENSIONS, startParams: [...PGlite.defaultStartParams, ...SETTINGS] })
  if (!dataDir) growMemoryFilesInLargerSteps(db)
  return db
}

interface MemFile {
  contents: Uint8Array | null
  usedBytes: number
}

interface MemFs {
  expandFileStorage?: (node: MemFile, needed: number) => void
  resizeFileStorage?: (node: MemFile, size: number) => void
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
 *
 * Relations grow the other way too: a bulk write (COPY) extends a table by up to 64 blocks
 * at once with posix_fallocate, which Emscripten turns into ftruncate, and MEMFS's
 * `resizeFileStorage` then copies the whole file into an array of exactly the new size:
 * every 512 KB added to a 50 MB table copied 50 MB. The benchmark's COPY bar spent 2.1 s
 * in that copying (CPU profile, 50,000 contacts); 200,000 rows COPYed took 4.5 s, now
 * 2.4 s (tests/store/pglite-memory-files.test.ts). The sync's INSERTs extend one block at a
 * time, through `expandFileStorage`. A resize now grows through the same doubling step,
 * and a file cut short keeps its array unless it shrinks to under a quarter of it; either
 * way the bytes past the file's end stay zero, as a grown file's must read back.
 */
function growMemoryFilesInLargerSteps(db: PGlite): void {
  const memfs = (db.Module.FS as unknown as { filesystems?: { MEMFS?: MemFs } }).filesystems?.MEMFS
  // Another Emscripten: keep its own.
  if (typeof memfs?.expandFileStorage !== 'function' || typeof memfs.resizeFileStorage !== 'function') return
  const expand = (node: MemFile, needed: number) => {
    const capacity = node.contents?.length ?? 0
    if (capacity >= needed) return
    const grown = capacity < DOUBLE_UP_TO ? capacity * 2 : capacity + (capacity >>> 2)
    const next = new Uint8Array(Math.max(needed, grown, 256))
    if (node.contents && node.usedBytes > 0) next.set(node.contents.subarray(0, node.usedBytes))
    node.contents = next
  }
  memfs.expandFileStorage = expand
  memfs.resizeFileStorage = (node, size) => {
    if (node.usedBytes === size) return
    const capacity = node.contents?.length ?? 0
    if (size > node.usedBytes) {
      memfs.expandFileStorage!(node, size) // a new array is zero past the copied bytes; an old one is kept so
    } else if (size < capacity >>> 2) {
      const next = new Uint8Array(size)
      if (node.contents) next.set(node.contents.subarray(0, size))
      node.contents = next
    } else {
      node.contents!.fill(0, size, node.usedBytes)
    }
    node.usedBytes = size
  }
}
