/**
 * A log-bucketed latency histogram (5 % wide buckets from 1 µs to ~100 s) that worker processes can
 * send to the parent and that merges exactly, so percentiles over all workers are honest.
 */
const RATIO = 1.05
const MIN_MS = 0.001
const BUCKETS = Math.ceil(Math.log(100_000 / MIN_MS) / Math.log(RATIO)) + 1

export class Histogram {
  readonly counts: number[]
  total = 0

  constructor (counts?: readonly number[]) {
    this.counts = counts === undefined ? new Array<number>(BUCKETS).fill(0) : [...counts]
    this.total = this.counts.reduce((a, b) => a + b, 0)
  }

  record (ms: number): void {
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / Math.log(RATIO)))
    this.counts[i] = (this.counts[i] ?? 0) + 1
    this.total++
  }

  merge (other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0)
    this.total += other.total
  }

  /** The upper bound of the bucket holding quantile q (0..1), in milliseconds; 0 when empty. */
  quantile (q: number): number {
    if (this.total === 0) return 0
    const rank = Math.ceil(q * this.total)
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0
      if (seen >= rank) return MIN_MS * RATIO ** i
    }
    return MIN_MS * RATIO ** (BUCKETS - 1)
  }
}
