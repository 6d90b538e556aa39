/**
 * Runs `fn` over every item, 7 times, and prints the best pass as µs per unit: the machine
 * is shared, and the minimum is the least disturbed.
 */
export function bestOf<T>(name: string, items: readonly T[], units: number, unit: string, fn: (item: T) => unknown): void {
  let best = Infinity
  for (let pass = 0; pass < 7; pass++) {
    const t0 = performance.now()
    for (const item of items) fn(item)
    best = Math.min(best, performance.now() - t0)
  }
  console.log(`${name.padEnd(34)} ${((best * 1000) / units).toFixed(2).padStart(6)} µs/${unit}`)
}
