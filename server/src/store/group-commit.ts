/**
 * Group commit (SPEC §4 "many updates per fsync"): jobs wait at most `maxDelayMs`, or until
 * `maxEntries` items are queued, then one group runs — planned in order, written as one atomic
 * `batch(…, { sync: true })`, and only then answered. While a group is in flight the next one
 * accumulates. Jobs run strictly in arrival order (SPEC §3 "Order matters"); an exclusive job
 * (rebuild) runs alone.
 */

export interface CommitJob {
  /** Items the job adds to a group (an AppendRequest's item count). */
  readonly weight: number
  /** Runs alone, after everything before it and before everything after it. */
  readonly exclusive: boolean
}

export interface GroupCommitOptions {
  readonly maxDelayMs: number
  readonly maxEntries: number
}

interface Queued<J> {
  readonly job: J
  readonly at: number
}

export class GroupCommitter<J extends CommitJob> {
  readonly #options: GroupCommitOptions
  readonly #run: (jobs: J[]) => Promise<void>
  readonly #queue: Array<Queued<J>> = []
  #queuedWeight = 0
  #inFlight = false
  #timer: NodeJS.Timeout | undefined
  #idle: Array<() => void> = []

  /** @param run runs one group; it answers every job itself and must not reject */
  constructor (options: GroupCommitOptions, run: (jobs: J[]) => Promise<void>) {
    this.#options = options
    this.#run = run
  }

  push (job: J): void {
    this.#queue.push({ job, at: performance.now() })
    this.#queuedWeight += job.weight
    this.#schedule()
  }

  /** Jobs waiting (not in flight). */
  get queued (): number {
    return this.#queue.length
  }

  /** Resolves once nothing is queued or in flight. */
  async drain (): Promise<void> {
    if (!this.#inFlight && this.#queue.length === 0) return
    await new Promise<void>((resolve) => this.#idle.push(resolve))
  }

  #schedule (): void {
    if (this.#inFlight) return
    const first = this.#queue[0]
    if (first === undefined) {
      for (const resolve of this.#idle.splice(0)) resolve()
      return
    }
    const waited = performance.now() - first.at
    if (this.#queuedWeight >= this.#options.maxEntries || first.job.exclusive || waited >= this.#options.maxDelayMs) {
      this.#flush()
    } else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => this.#flush(), this.#options.maxDelayMs - waited)
    }
  }

  #flush (): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#inFlight || this.#queue.length === 0) return
    const jobs: J[] = []
    let weight = 0
    while (this.#queue.length > 0) {
      const next = this.#queue[0]
      if (next === undefined) break
      if (jobs.length > 0 && (next.job.exclusive || weight + next.job.weight > this.#options.maxEntries)) break
      this.#queue.shift()
      jobs.push(next.job)
      weight += next.job.weight
      if (next.job.exclusive) break
    }
    this.#queuedWeight -= weight
    this.#inFlight = true
    this.#run(jobs).catch(() => undefined).finally(() => {
      this.#inFlight = false
      this.#schedule()
    })
  }
}
