/**
 * The link limits of SPEC §3: per-CS in-flight cap and message rate, and new connections per
 * source. The per-CS limits never drop a message: they delay reading the link (backpressure), so
 * TCP flow control slows the CS down and nothing it sent is lost or reordered.
 */

/** A clock in milliseconds; injected so tests need not sleep. */
export type Clock = () => number

/** Token bucket: `ratePerSecond` tokens a second, holding at most `burst`. */
export class TokenBucket {
  readonly #rate: number
  readonly #burst: number
  readonly #now: Clock
  #tokens: number
  #at: number

  constructor (ratePerSecond: number, burst = ratePerSecond, now: Clock = Date.now) {
    this.#rate = ratePerSecond
    this.#burst = burst
    this.#now = now
    this.#tokens = burst
    this.#at = now()
  }

  /** Take one token if there is one. */
  take (): boolean {
    this.#refill()
    if (this.#tokens < 1) return false
    this.#tokens -= 1
    return true
  }

  /** Milliseconds until a token will be there (0 when there is one now). */
  msUntilToken (): number {
    this.#refill()
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.#rate) * 1000)
  }

  #refill (): void {
    const now = this.#now()
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#rate)
    this.#at = now
  }
}

/**
 * The gateway's update budget over all links (gateway.maxInflightUpdates): updates between arrival
 * and answer, whichever link they came by. Each link's own budget (maxInflightUpdatesPerCs) bounds
 * what one CS holds; this bounds the sum, which is what the gateway's and the store's memory hold
 * (SPEC §8: gateway RSS < 200 MB with 60 connections). 60 links of 2,048 updates each put 122,880
 * updates in the gateway during a load, 457 MB of RSS, for a store that commits ~7,000 a second
 * (issue 18, bench/ingest-ken.ts --batch 64 --window 64). Links wait for it in the order they asked,
 * so no link is starved by the others; a link waits with its head PUBLISH only (its own order).
 */
export class SharedUpdateBudget {
  readonly #max: number
  #used = 0
  readonly #queue: Array<{ readonly updates: number, readonly go: () => void }> = []

  constructor (maxUpdates: number) {
    this.#max = maxUpdates
  }

  /** Updates admitted and not yet given back (never above the budget). */
  get used (): number {
    return this.#used
  }

  /**
   * Room for `updates`: true (taken) at once when nobody waits ahead and it fits; otherwise false,
   * and `go` is called once it has been taken on the caller's behalf, in the order asked. More than
   * the whole budget is counted as the whole budget, so a request never waits forever.
   */
  take (updates: number, go: () => void): boolean {
    const n = Math.min(updates, this.#max)
    if (this.#queue.length === 0 && this.#used + n <= this.#max) {
      this.#used += n
      return true
    }
    this.#queue.push({ updates: n, go })
    return false
  }

  /** Give back `updates` taken earlier, and grant the waiters that now fit, in order. */
  give (updates: number): void {
    this.#used = Math.max(0, this.#used - Math.min(updates, this.#max))
    while (this.#queue.length > 0) {
      const head = this.#queue[0] as { readonly updates: number, readonly go: () => void }
      if (this.#used + head.updates > this.#max) return
      this.#queue.shift()
      this.#used += head.updates
      head.go()
    }
  }

  /** Withdraw a waiting request (its link closed); false if it was already granted. */
  withdraw (go: () => void): boolean {
    const i = this.#queue.findIndex((q) => q.go === go)
    if (i < 0) return false
    this.#queue.splice(i, 1)
    // The head may have blocked smaller requests behind it.
    this.give(0)
    return true
  }
}

/**
 * Admission of one connection's PUBLISH packets: an in-flight slot (returned at PUBACK time), a
 * token of the CS's rate bucket, and room in the link's update budget. The packet guard asks before
 * it lets a PUBLISH through; the broker, once it knows how many updates the PUBLISH carries (a batch
 * carries up to gateway.maxBatchUpdates), asks the budget before it hands them to the store.
 * The budget is counted in updates because a slot may hold one update or a whole batch: 64 slots of
 * 256-update batches would let one link hold 16,384 updates in the gateway and at the store (issue 18).
 * While the budget is full, or a PUBLISH waits for it, the guard reads nothing more from the link.
 * With a {@link SharedUpdateBudget} the updates also need room in the gateway's budget over all links.
 */
export class PublishPermits {
  readonly #max: number
  readonly #bucket: TokenBucket
  readonly #onChange: (delta: number) => void
  readonly #maxUpdates: number
  #inflight = 0
  #updates = 0
  /** PUBLISHes whose updates wait for room in the budget, in arrival order (SPEC §3 order). */
  readonly #queued: Array<{ readonly updates: number, readonly go: (admitted: boolean) => void }> = []
  #waiter: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined
  readonly #shared: SharedUpdateBudget | undefined
  /** The head of #queued waits for the shared budget: the callback it registered there. */
  #sharedWait: (() => void) | undefined

  constructor (maxInflight: number, bucket: TokenBucket, onChange: (delta: number) => void = () => {}, maxUpdates = Number.POSITIVE_INFINITY, shared?: SharedUpdateBudget) {
    this.#max = maxInflight
    this.#bucket = bucket
    this.#onChange = onChange
    this.#maxUpdates = maxUpdates
    this.#shared = shared
  }

  get inflight (): number {
    return this.#inflight
  }

  /** Updates of this link handed to the store and not yet answered (never above the budget). */
  get updates (): number {
    return this.#updates
  }

  /**
   * Take a permit now and return true, or return false and call `onGranted` once a permit has been
   * taken on the caller's behalf. One waiter at a time: the guard reads nothing else meanwhile.
   */
  take (onGranted: () => void): boolean {
    if (this.#tryTake()) return true
    this.#waiter = onGranted
    this.#armTimer()
    return false
  }

  /**
   * Room in the budget for `updates` updates of an admitted PUBLISH: `go(true)` at once (same tick)
   * or once earlier PUBLISHes were answered — always in the order asked, so a link's updates reach
   * the store in its order; `go(false)` if the connection closes first. More than the whole budget
   * is counted as the whole budget, so a PUBLISH never waits forever.
   */
  admitUpdates (updates: number, go: (admitted: boolean) => void): void {
    this.#queued.push({ updates: Math.min(updates, this.#maxUpdates), go })
    this.#admitQueued()
  }

  /** Return an in-flight slot and the `updates` it was admitted with (the PUBLISH was answered or refused). */
  release (updates = 0): void {
    const n = Math.min(updates, this.#maxUpdates)
    this.#updates = Math.max(0, this.#updates - n)
    // The shared budget first: links that waited for it before this one asks again go first.
    if (n > 0) this.#shared?.give(n)
    if (this.#inflight > 0) {
      this.#inflight--
      this.#onChange(-1)
    }
    this.#admitQueued()
    this.#retry()
  }

  /** The connection is gone: forget the waiters and give every slot back. */
  cancel (): void {
    this.#waiter = undefined
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#inflight > 0) this.#onChange(-this.#inflight)
    this.#inflight = 0
    if (this.#sharedWait !== undefined) this.#shared?.withdraw(this.#sharedWait)
    this.#sharedWait = undefined
    for (const q of this.#queued.splice(0)) q.go(false)
  }

  /** Admit queued PUBLISHes in order while they fit this link's budget and the shared one. */
  #admitQueued (): void {
    while (this.#queued.length > 0 && this.#sharedWait === undefined) {
      const head = this.#queued[0] as { readonly updates: number, readonly go: (admitted: boolean) => void }
      if (this.#updates + head.updates > this.#maxUpdates) return
      if (this.#shared !== undefined) {
        const granted = (): void => {
          this.#sharedWait = undefined
          this.#admitHead()
          this.#admitQueued()
          this.#retry()
        }
        if (!this.#shared.take(head.updates, granted)) {
          this.#sharedWait = granted
          return
        }
      }
      this.#admitHead()
    }
  }

  #admitHead (): void {
    const head = this.#queued.shift() as { readonly updates: number, readonly go: (admitted: boolean) => void }
    this.#updates += head.updates
    head.go(true)
  }

  #tryTake (): boolean {
    if (this.#inflight >= this.#max || !this.#budgetOpen() || !this.#bucket.take()) return false
    this.#inflight++
    this.#onChange(1)
    return true
  }

  #budgetOpen (): boolean {
    return this.#queued.length === 0 && this.#updates < this.#maxUpdates
  }

  #retry (): void {
    const waiter = this.#waiter
    if (waiter === undefined || this.#timer !== undefined) return
    if (this.#tryTake()) {
      this.#waiter = undefined
      waiter()
    } else {
      this.#armTimer()
    }
  }

  /** Waiting for a token needs a timer; waiting for a slot or the budget is woken by release(). */
  #armTimer (): void {
    if (this.#inflight >= this.#max || !this.#budgetOpen() || this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#retry()
    }, Math.max(1, this.#bucket.msUntilToken()))
  }
}

/** One rate bucket per municipality, shared by its successive connections. */
export class CsRateBuckets {
  readonly #rate: number
  readonly #now: Clock
  readonly #buckets = new Map<string, TokenBucket>()

  constructor (ratePerSecond: number, now: Clock = Date.now) {
    this.#rate = ratePerSecond
    this.#now = now
  }

  of (municipalityCode: string): TokenBucket {
    let b = this.#buckets.get(municipalityCode)
    if (b === undefined) {
      b = new TokenBucket(this.#rate, this.#rate, this.#now)
      this.#buckets.set(municipalityCode, b)
    }
    return b
  }
}

/**
 * New connections per source address in fixed one-second windows; the table is emptied at each
 * new window, so its size is bounded by the addresses seen in one second.
 */
export class ConnectionRateLimiter {
  readonly #perSecond: number
  readonly #now: Clock
  readonly #counts = new Map<string, number>()
  #window = -1

  constructor (perSecond: number, now: Clock = Date.now) {
    this.#perSecond = perSecond
    this.#now = now
  }

  /** Count a new connection from `address`; false when it is over the limit. */
  admit (address: string): boolean {
    const window = Math.floor(this.#now() / 1000)
    if (window !== this.#window) {
      this.#window = window
      this.#counts.clear()
    }
    const n = (this.#counts.get(address) ?? 0) + 1
    this.#counts.set(address, n)
    return n <= this.#perSecond
  }
}
