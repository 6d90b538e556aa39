/**
 * Growable Fenwick tree of 0/1 flags: counts live entries in a range and finds the k-th
 * live entry in O(log n), so "total" and deep `after` offsets stay cheap at a million records.
 */
export class FlagTree {
  private tree = new Int32Array(1024 + 1)
  private flags = new Uint8Array(1024)
  private n = 0

  get length(): number {
    return this.n
  }

  push(flag: 0 | 1): void {
    if (this.n === this.flags.length) this.grow()
    this.flags[this.n] = flag
    this.n++
    if (flag) this.add(this.n - 1, 1)
  }

  set(i: number, flag: 0 | 1): void {
    if (this.flags[i] === flag) return
    this.flags[i] = flag
    this.add(i, flag ? 1 : -1)
  }

  get(i: number): number {
    return this.flags[i]
  }

  /** Number of set flags in [0, i). */
  prefix(i: number): number {
    let s = 0
    for (let j = i; j > 0; j -= j & -j) s += this.tree[j]
    return s
  }

  /** Index of the k-th set flag (0-based k), or -1. */
  findKth(k: number): number {
    let pos = 0
    let rem = k + 1
    let step = 1
    while (step * 2 <= this.flags.length) step *= 2
    for (; step > 0; step >>= 1) {
      const next = pos + step
      if (next <= this.flags.length && this.tree[next] < rem) {
        pos = next
        rem -= this.tree[next]
      }
    }
    return pos < this.n ? pos : -1
  }

  /** Rebuilds from scratch (after a compaction or an out-of-order insert). */
  static from(flags: ArrayLike<number>): FlagTree {
    const t = new FlagTree()
    for (let i = 0; i < flags.length; i++) t.push(flags[i] ? 1 : 0)
    return t
  }

  private add(i: number, d: number): void {
    for (let j = i + 1; j < this.tree.length; j += j & -j) this.tree[j] += d
  }

  private grow(): void {
    const flags = new Uint8Array(this.flags.length * 2)
    flags.set(this.flags)
    this.flags = flags
    this.tree = new Int32Array(flags.length + 1)
    for (let i = 0; i < this.n; i++) if (flags[i]) this.add(i, 1)
  }
}
