import { describe, expect, it } from 'vitest'
import { prefetch } from './prefetch'

async function* numbers(n: number, log: string[], failAt?: number) {
  for (let i = 1; i <= n; i++) {
    log.push(`fetch ${i}`)
    if (i === failAt) throw new Error(`boom at ${i}`)
    await new Promise((r) => setTimeout(r, 1))
    yield i
  }
}

describe('prefetch', () => {
  it('yields every item of the source, in order', async () => {
    const out: number[] = []
    for await (const n of prefetch(numbers(25, []), 4)) out.push(n)
    expect(out).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
  })

  it('reads ahead while the consumer is busy, but never more than the depth', async () => {
    const log: string[] = []
    const it = prefetch(numbers(10, log), 3)
    await it.next()
    await new Promise((r) => setTimeout(r, 30)) // the consumer "writes to the database"
    expect(log.filter((l) => l.startsWith('fetch')).length).toBe(4) // 1 consumed + 3 ahead
    await it.return(undefined)
  })

  it('surfaces a source error when the consumer reaches it, after the items before it', async () => {
    const out: number[] = []
    await expect(async () => {
      for await (const n of prefetch(numbers(10, [], 4), 5)) out.push(n)
    }).rejects.toThrow('boom at 4')
    expect(out).toEqual([1, 2, 3])
  })
})
