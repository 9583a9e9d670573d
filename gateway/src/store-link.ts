/**
 * The gateway's one way to the store: the append socket (store.proto), whose only capability is
 * "append these updates, return their results" (SPEC §3). The link reconnects on demand after a
 * failure, at most once per `retryMs`, so a store restart (SPEC §8: accepting again within 5 s
 * after kill -9) needs no gateway restart; a failed append is never retried here — the CS gets
 * no PUBACK and redelivers.
 */
import { errors } from './errors.ts'
import type { GatewayLogger } from './logger.ts'
import type { EncodedUpdateResult } from '../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../server/src/store/append-request.ts'

/** What the gateway needs of the store's AppendClient (server/src/store/append-client.ts). */
export interface AppendPort {
  /** Results in item order, as the store encoded them, returned only once the items are durably committed. */
  append: (items: OutgoingAppendItem[]) => Promise<EncodedUpdateResult[]>
  close: () => unknown
}

export type AppendConnector = () => Promise<AppendPort>

export interface StoreLinkOptions {
  readonly retryMs: number
  readonly log: GatewayLogger
  readonly now?: () => number
}

export class StoreLink {
  readonly #connect: AppendConnector
  readonly #retryMs: number
  readonly #log: GatewayLogger
  readonly #now: () => number
  #port: Promise<AppendPort> | undefined
  #lastAttempt = Number.NEGATIVE_INFINITY
  #closed = false

  constructor (connect: AppendConnector, opts: StoreLinkOptions) {
    this.#connect = connect
    this.#retryMs = opts.retryMs
    this.#log = opts.log
    this.#now = opts.now ?? Date.now
  }

  /**
   * Append `items` in one AppendRequest.
   * @throws KEN_ERR_GW_STORE_UNAVAILABLE when the store cannot be reached or did not commit
   * @throws KEN_ERR_GW_STORE_PROTOCOL when the answer does not match the request
   */
  async append (items: OutgoingAppendItem[]): Promise<EncodedUpdateResult[]> {
    const pending = this.#get()
    let port: AppendPort
    try {
      port = await pending
    } catch (err) {
      throw errors.KEN_ERR_GW_STORE_UNAVAILABLE('cannot reach the append socket', { cause: err })
    }
    let results: EncodedUpdateResult[]
    try {
      results = await port.append(items)
    } catch (err) {
      this.#drop(pending, port)
      throw errors.KEN_ERR_GW_STORE_UNAVAILABLE(err instanceof Error && 'code' in err ? String(err.code) : undefined, { cause: err })
    }
    if (results.length !== items.length) {
      this.#drop(pending, port)
      throw errors.KEN_ERR_GW_STORE_PROTOCOL(`${results.length} results for ${items.length} items`)
    }
    return results
  }

  async close (): Promise<void> {
    this.#closed = true
    const pending = this.#port
    this.#port = undefined
    if (pending !== undefined) await pending.then(async (p) => { await p.close() }, () => {})
  }

  #get (): Promise<AppendPort> {
    if (this.#closed) return Promise.reject(errors.KEN_ERR_GW_STORE_UNAVAILABLE('gateway closing'))
    if (this.#port !== undefined) return this.#port
    const wait = this.#lastAttempt + this.#retryMs - this.#now()
    const pending = (async () => {
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      this.#lastAttempt = this.#now()
      return await this.#connect()
    })()
    this.#port = pending
    pending.then(() => {
      this.#log.info('gateway.store.connected')
    }, (err: unknown) => {
      if (this.#port === pending) this.#port = undefined
      this.#log.error('gateway.store.unavailable', { code: codeOf(err) })
    })
    return pending
  }

  #drop (pending: Promise<AppendPort>, port: AppendPort): void {
    if (this.#port !== pending) return
    this.#port = undefined
    this.#log.error('gateway.store.unavailable', { reason: 'append failed; reconnecting' })
    Promise.resolve().then(() => port.close()).catch(() => {})
  }
}

function codeOf (err: unknown): string | undefined {
  return err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : undefined
}
