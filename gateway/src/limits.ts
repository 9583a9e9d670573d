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
 * Admission of one connection's PUBLISH packets: an in-flight slot (returned at PUBACK time) and a
 * token of the CS's rate bucket. The packet guard asks before it lets a PUBLISH through.
 */
export class PublishPermits {
  readonly #max: number
  readonly #bucket: TokenBucket
  readonly #onChange: (delta: number) => void
  #inflight = 0
  #waiter: (() => void) | undefined
  #timer: NodeJS.Timeout | undefined

  constructor (maxInflight: number, bucket: TokenBucket, onChange: (delta: number) => void = () => {}) {
    this.#max = maxInflight
    this.#bucket = bucket
    this.#onChange = onChange
  }

  get inflight (): number {
    return this.#inflight
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

  /** Return an in-flight slot (the PUBLISH was answered or refused). */
  release (): void {
    if (this.#inflight === 0) return
    this.#inflight--
    this.#onChange(-1)
    this.#retry()
  }

  /** The connection is gone: forget the waiter and give every slot back. */
  cancel (): void {
    this.#waiter = undefined
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#inflight > 0) this.#onChange(-this.#inflight)
    this.#inflight = 0
  }

  #tryTake (): boolean {
    if (this.#inflight >= this.#max || !this.#bucket.take()) return false
    this.#inflight++
    this.#onChange(1)
    return true
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

  /** Waiting for a token needs a timer; waiting for a slot is woken by release(). */
  #armTimer (): void {
    if (this.#inflight >= this.#max || this.#timer !== undefined) return
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
