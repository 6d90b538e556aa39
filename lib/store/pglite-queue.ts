import type { PGlite } from '@electric-sql/pglite'

interface Item {
  handlerId: number
  message: Uint8Array
  onData: (data: Uint8Array) => void
  resolve: (bytes: number) => void
  reject: (e: unknown) => void
}

// Extended-protocol messages: from the first of these until Sync, one client owns the
// single PGlite backend (its unnamed statement and portal live there).
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

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject })
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
        let bytes = 0
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, { onRawData: (d) => { bytes += d.length; item.onData(d) } }))
        } catch (e) {
          this.owner = this.db.isInTransaction() ? item.handlerId : null
          item.reject(e)
          continue
        }
        const type = item.message[0]
        if (this.db.isInTransaction()) this.owner = item.handlerId
        else if (type === SYNC || type === QUERY) this.owner = null
        else if (EXTENDED.has(type)) this.owner = item.handlerId
        item.resolve(bytes)
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
