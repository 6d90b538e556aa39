/**
 * Reads ahead of a sequential async source (cursor-paged API calls): up to `depth` items
 * are fetched while the consumer works on earlier ones, so writing to the database and
 * waiting on the CRM overlap instead of taking turns. Memory stays bounded by `depth`.
 * An error from the source surfaces when the consumer reaches it.
 */
export async function* prefetch<T>(source: AsyncIterator<T>, depth: number): AsyncGenerator<T> {
  const buffer: Array<Promise<IteratorResult<T>>> = []
  let exhausted = false
  const fill = () => {
    // Each call chains on the previous one, so the source still sees one request at a time.
    while (!exhausted && buffer.length < depth) {
      const previous = buffer.at(-1)
      const item = (previous ?? Promise.resolve({ done: false } as IteratorResult<T>)).then((r) =>
        r.done ? r : source.next(),
      )
      item.then((r) => { if (r.done) exhausted = true }, () => { exhausted = true })
      item.catch(() => {}) // surfaced when the consumer awaits it
      buffer.push(item)
    }
  }
  fill()
  while (buffer.length > 0) {
    const result = await buffer.shift()!
    if (result.done) return
    fill()
    yield result.value
  }
}
