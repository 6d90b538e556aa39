import type { Sql } from '../../../store/db'
import { storeDeliveries, type Delivery } from '../../../store/webhook-events'

// Group commit for the ack path: while one insert is in flight, the deliveries that arrive
// wait and go together in the next one. Each request is still answered only after its own
// delivery is committed; a burst costs a few statements instead of one per request.

const MAX_PER_INSERT = 64

interface Waiting extends Delivery {
  resolve: () => void
  reject: (e: unknown) => void
}

const queues = new WeakMap<Sql, { waiting: Waiting[]; writing: boolean }>()

export function writeDelivery(sql: Sql, delivery: Delivery): Promise<void> {
  let q = queues.get(sql)
  if (!q) queues.set(sql, (q = { waiting: [], writing: false }))
  const queue = q
  const done = new Promise<void>((resolve, reject) => queue.waiting.push({ ...delivery, resolve, reject }))
  if (!queue.writing) void drain(sql, queue)
  return done
}

async function drain(sql: Sql, q: { waiting: Waiting[]; writing: boolean }): Promise<void> {
  q.writing = true
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
    q.writing = false
  }
}
