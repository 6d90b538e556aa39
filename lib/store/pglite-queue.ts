import type { PGlite } from '@electric-sql/pglite'

/** Where a run's replies go: `begin` before the first byte, `end` after the last (the socket corks in between). */
export interface ReplySink {
  begin(): void
  data(bytes: Uint8Array): void
  end(): void
}

interface Item {
  handlerId: number
  /** One or more complete messages. */
  messages: Uint8Array
  /** The type byte of the last one (-1 for the untyped startup message). */
  lastType: number
  sink: ReplySink
  resolve: () => void
  reject: (e: unknown) => void
}

// Extended-protocol messages: from the first of these until Sync, one client owns the
// single PGlite backend (its unnamed statement and portal live there). A run of messages
// (see pglite-connection.ts) is judged by its last: a run ending in Sync ends the group.
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd', 'c', 'f'].map((c) => c.charCodeAt(0)))
const SYNC = 'S'.charCodeAt(0)
const QUERY = 'Q'.charCodeAt(0)

/**
 * The query queue behind the embedded socket server. PGlite is one backend shared by
 * every client; pglite-socket's own queue keeps a client's *transaction* together but
 * interleaves the messages of two clients' extended-protocol queries (Parse, Bind,
 * Execute, Sync), so one client's unnamed portal is destroyed by another's Parse
 * ("portal does not exist"). This queue gives the backend to one client from its first
 * extended message until its Sync (or for a whole transaction), then to the next.
 */
export class GroupedQueryQueue {
  private queue: Item[] = []
  private processing = false
  private owner: number | null = null

  constructor(private readonly db: PGlite) {}

  /** Runs a client's messages in the order they were enqueued; resolves once their replies are written. */
  enqueue(handlerId: number, messages: Uint8Array, lastType: number, sink: ReplySink): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, messages, lastType, sink, resolve, reject })
      void this.process()
    })
  }

  private async process(): Promise<void> {
    if (this.processing) return
    this.processing = true
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((i) => i.handlerId === this.owner)
        if (index === -1) break // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1)
        item.sink.begin()
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.messages, { onRawData: (d) => item.sink.data(d) }))
        } catch (e) {
          this.owner = this.db.isInTransaction() ? item.handlerId : null
          item.reject(e)
          continue
        } finally {
          item.sink.end()
        }
        const type = item.lastType
        if (this.db.isInTransaction()) this.owner = item.handlerId
        else if (type === SYNC || type === QUERY) this.owner = null
        else if (EXTENDED.has(type)) this.owner = item.handlerId
        item.resolve()
      }
    } finally {
      this.processing = false
    }
  }

  getQueueLength(): number {
    return this.queue.length
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((i) => {
      if (i.handlerId !== handlerId) return true
      i.reject(new Error('Handler disconnected'))
      return false
    })
  }

  /** A client went away: roll back what it left open and hand the backend on. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK')
    this.owner = null
    await this.process()
  }
}
