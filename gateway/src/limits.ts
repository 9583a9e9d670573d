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
 * Admission of one connection's PUBLISH packets: an in-flight slot (returned at PUBACK time), a
 * token of the CS's rate bucket, and room in the link's update budget. The packet guard asks before
 * it lets a PUBLISH through; the broker, once it knows how many updates the PUBLISH carries (a batch
 * carries up to gateway.maxBatchUpdates), asks the budget before it hands them to the store.
 * The budget is counted in updates because a slot may hold one update or a whole batch: 64 slots of
 * 256-update batches would let one link hold 16,384 updates in the gateway and at the store (issue 18).
 * While the budget is full, or a PUBLISH waits for it, the guard reads nothing more from the link.
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

  constructor (maxInflight: number, bucket: TokenBucket, onChange: (delta: number) => void = () => {}, maxUpdates = Number.POSITIVE_INFINITY) {
    this.#max = maxInflight
    this.#bucket = bucket
    this.#onChange = onChange
    this.#maxUpdates = maxUpdates
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
    const n = Math.min(updates, this.#maxUpdates)
    if (this.#queued.length === 0 && this.#updates + n <= this.#maxUpdates) {
      this.#updates += n
      go(true)
      return
    }
    this.#queued.push({ updates: n, go })
  }

  /** Return an in-flight slot and the `updates` it was admitted with (the PUBLISH was answered or refused). */
  release (updates = 0): void {
    this.#updates = Math.max(0, this.#updates - Math.min(updates, this.#maxUpdates))
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
    for (const q of this.#queued.splice(0)) q.go(false)
  }

  #admitQueued (): void {
    while (this.#queued.length > 0) {
      const head = this.#queued[0] as { readonly updates: number, readonly go: (admitted: boolean) => void }
      if (this.#updates + head.updates > this.#maxUpdates) return
      this.#queued.shift()
      this.#updates += head.updates
      head.go(true)
    }
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
