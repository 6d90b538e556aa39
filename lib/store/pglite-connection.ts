import type net from 'node:net'
import type { GroupedQueryQueue } from './pglite-queue'

// One client socket of the embedded server, speaking the Postgres wire protocol to the
// shared PGlite backend. It replaces pglite-socket's handler, which handed PGlite one
// message at a time and wrote each reply as it came: a prepared insert (Bind, Execute,
// Sync) cost three calls into PGlite and three socket writes, each waking the client. Here
// every complete message that has arrived goes to PGlite in one call (PGlite takes a run
// of messages, as a server's backend reads them from its socket), and the replies leave
// in one write. Bytes are copied once: pieces of a large message are joined only when it
// is complete.
// https://www.postgresql.org/docs/current/protocol-message-formats.html

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const PROTOCOL_3 = 196608
const TERMINATE = 'X'.charCodeAt(0)

let nextId = 1

export function servePGliteConnection(socket: net.Socket, queue: GroupedQueryQueue): void {
  const id = nextId++
  let started = false
  let pieces: Buffer[] = []
  let buffered = 0
  /** Bytes needed before the next message is complete (0: not known yet). */
  let need = 0
  let lastRun: Promise<unknown> = Promise.resolve()

  socket.setNoDelay(true)
  socket.on('error', () => socket.destroy())
  socket.on('close', () => {
    queue.clearQueueForHandler(id)
    void queue.clearTransactionIfNeeded(id)
  })
  socket.on('data', (chunk: Buffer) => {
    pieces.push(chunk)
    buffered += chunk.length
    if (buffered < Math.max(need, started ? 5 : 8)) return
    const data = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, buffered)
    let end = 0
    if (!started) end = startup(data)
    if (end < 0 || socket.destroyed) return
    const from = end
    let last = -1
    let terminate = false
    // The complete messages: a type byte, then a length that counts itself.
    while (started && data.length - end >= 5) {
      const length = 1 + data.readInt32BE(end + 1)
      if (length < 5) return refuse() // a length below its own four bytes: not the protocol
      if (data.length - end < length) break
      if (data[end] === TERMINATE) {
        terminate = true
        break
      }
      last = data[end]
      end += length
    }
    const rest = data.subarray(terminate ? data.length : end)
    pieces = rest.length ? [rest] : []
    buffered = rest.length
    need = started && rest.length >= 5 ? 1 + rest.readInt32BE(1) : 0
    if (end > from) run(data.subarray(from, end), last)
    if (terminate) void lastRun.finally(() => socket.end())
  })

  /** The untyped first messages: SSL/GSS encryption requests (declined), a cancel request (unsupported), the startup message. */
  function startup(data: Buffer): number {
    let end = 0
    while (!started && data.length - end >= 8) {
      const length = data.readInt32BE(end)
      const code = data.readInt32BE(end + 4)
      if (length < 8) return refuse()
      if (data.length - end < length) break
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N')
      else if (code === CANCEL_REQUEST) socket.destroy()
      else if (code === PROTOCOL_3) {
        run(data.subarray(end, end + length), -1)
        started = true
      } else {
        return refuse()
      }
      end += length
    }
    return end
  }

  /** Bytes that are not the protocol: the connection is dropped, as a server drops it. */
  function refuse(): -1 {
    pieces = []
    buffered = 0
    socket.destroy()
    return -1
  }

  function run(messages: Buffer, lastType: number): void {
    lastRun = queue.enqueue(id, messages, lastType, {
      begin: () => socket.cork(),
      // PGlite's bytes are a view of its memory, reused by the next call: copied.
      data: (bytes) => void (socket.writable && socket.write(Buffer.from(bytes))),
      end: () => socket.uncork(),
    }).catch(() => socket.destroy())
  }
}
