/**
 * The retention job's schedule (SPEC §2.5 "erased automatically", requirements E3): the store daemon
 * runs it once after start and then once per day in Japan, checking every `intervalMs` whether the
 * date changed. One run is one administrative entry (store.ts runRetention). A failed run is logged
 * and tried again at the next tick; it never stops the daemon.
 */
import { isKenError } from '../../../proto/src/ken-error.ts'
import { jstDateOf } from '../domain/retention.ts'
import type { Store } from './store.ts'
import type { RetentionOptions, StoreLogger } from './store-types.ts'

export class RetentionSchedule {
  readonly #store: Store
  readonly #options: RetentionOptions
  readonly #clock: () => Date
  readonly #logger: StoreLogger
  #timer: NodeJS.Timeout | undefined
  #lastDay = ''
  #running: Promise<void> | undefined

  constructor (store: Store, options: RetentionOptions, deps: { clock: () => Date, logger: StoreLogger }) {
    this.#store = store
    this.#options = options
    this.#clock = deps.clock
    this.#logger = deps.logger
  }

  /** Run now, then check every `intervalMs`. */
  start (intervalMs: number): void {
    this.tick()
    this.#timer = setInterval(() => this.tick(), intervalMs)
    this.#timer.unref()
  }

  /** Run when the day in Japan changed since the last successful run. */
  tick (): void {
    const today = jstDateOf(this.#clock())
    if (today === this.#lastDay || this.#running !== undefined || !this.#store.isOpen) return
    this.#running = this.#run(today).finally(() => { this.#running = undefined })
  }

  /** Stop scheduling; waits for a run in progress. */
  async stop (): Promise<void> {
    clearInterval(this.#timer)
    await this.#running
  }

  async #run (today: string): Promise<void> {
    try {
      const r = await this.#store.runRetention({ actor: 'ken-store retention' }, this.#options)
      this.#lastDay = today
      this.#logger.info({ event: 'store.retention.run', position: r.position, today: r.today, historyErased: r.historyErased, removedErased: r.removedErased, fuhyoErased: r.fuhyoErased, periodsErased: r.periodsErased, tempExpired: r.tempExpired }, 'retention job ran')
    } catch (err) {
      this.#logger.error({ event: 'store.retention.failed', code: isKenError(err) ? err.code : 'unknown' }, 'retention job failed; trying again at the next check')
    }
  }
}
