import type { Sql } from '../../../store/db'
import { storeDeliveries, type Delivery } from '../../../store/webhook-events'

// Group commit for the ack path: while inserts are in flight, the deliveries that arrive
// wait and go together in the next one. Each request is still answered only after its own
// delivery is committed; a burst costs a few statements instead of one per request.

const MAX_PER_INSERT = 64
/** Inserts in flight at once: Postgres commits them side by side (the embedded one queues them). */
const WRITERS = 3

interface Waiting extends Delivery {
  resolve: () => void
  reject: (e: unknown) => void
}

interface Queue {
  waiting: Waiting[]
  writers: number
}

const queues = new WeakMap<Sql, Queue>()

export function writeDelivery(sql: Sql, delivery: Delivery): Promise<void> {
  let q = queues.get(sql)
  if (!q) queues.set(sql, (q = { waiting: [], writers: 0 }))
  const queue = q
  const done = new Promise<void>((resolve, reject) => queue.waiting.push({ ...delivery, resolve, reject }))
  if (queue.writers < WRITERS) void drain(sql, queue)
  return done
}

async function drain(sql: Sql, q: Queue): Promise<void> {
  q.writers++
  try {
    while (q.waiting.length) {
      const batch = q.waiting.splice(0, MAX_PER_INSERT)
      try {
        await storeDeliveries(sql, batch)
        for (const d of batch) d.resolve()
      } catch (e) {
        for (const d of batch) d.reject(e)
      }
    }
  } finally {
    q.writers--
  }
}
