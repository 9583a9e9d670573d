/**
 * The gateway's side of the append socket: `AppendClient.connect(path)`, then `append(items)` as
 * often as wanted without waiting — requests are pipelined and answered in order. When the connection
 * drops, every unanswered append rejects with KEN_ERR_STORE_CONNECTION_CLOSED; reconnecting and
 * redelivering is the caller's job (redelivery is safe: the store deduplicates, SPEC §3).
 */
import net from 'node:net'
import { decode } from '../../../proto/src/codec.ts'
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import { KenError } from '../../../proto/src/ken-error.ts'
import type { AppendResponse, UpdateResult } from '../../../proto/src/types.ts'
import { encodeAppendRequest, type OutgoingAppendItem } from './append-request.ts'
import { errors } from './errors.ts'

interface Waiting {
  readonly batchId: number
  readonly count: number
  readonly resolve: (results: UpdateResult[]) => void
  readonly reject: (err: Error) => void
}

export class AppendClient {
  readonly #socket: net.Socket
  readonly #decoder: FrameDecoder
  readonly #waiting: Waiting[] = []
  #nextBatchId = 1
  #closed: KenError | undefined

  private constructor (socket: net.Socket, maxFrame: number) {
    this.#socket = socket
    this.#decoder = new FrameDecoder(maxFrame)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', () => undefined) // 'close' follows and rejects what is waiting
    socket.on('close', () => this.#fail(errors.KEN_ERR_STORE_CONNECTION_CLOSED()))
  }

  /** Connect to the store daemon's append socket. */
  static async connect (socketPath: string, options: { maxFrameBytes?: number } = {}): Promise<AppendClient> {
    const socket = net.connect(socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => { socket.off('error', reject); resolve() })
      socket.once('error', reject)
    })
    return new AppendClient(socket, options.maxFrameBytes ?? DEFAULT_MAX_FRAME)
  }

  /**
   * Append items; resolves with one UpdateResult per item, in order, once they are durable. An item's
   * `updateBytes` (the payload its `update` was decoded from) are sent in place of re-encoding it.
   * @throws KenError with the store's KEN_ERR_* code when it refused the whole request (nothing committed),
   *   KEN_ERR_STORE_CONNECTION_CLOSED when the connection ended first
   */
  async append (items: readonly OutgoingAppendItem[]): Promise<UpdateResult[]> {
    if (this.#closed !== undefined) throw this.#closed
    const batchId = this.#nextBatchId++
    const frame = encodeFrame(encodeAppendRequest(batchId, items))
    return await new Promise<UpdateResult[]>((resolve, reject) => {
      this.#waiting.push({ batchId, count: items.length, resolve, reject })
      this.#socket.write(frame)
    })
  }

  /** Requests sent and not yet answered. */
  get pending (): number {
    return this.#waiting.length
  }

  /** Close the connection; unanswered appends reject. */
  async close (): Promise<void> {
    if (this.#socket.destroyed) return
    await new Promise<void>((resolve) => {
      this.#socket.once('close', () => resolve())
      this.#socket.end()
    })
  }

  #onData (chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.#decoder.push(chunk)
      for (const frame of frames) this.#answer(decode('AppendResponse', frame))
    } catch (err) {
      this.#fail(errors.KEN_ERR_STORE_PROTOCOL('undecodable response', { cause: err }))
      this.#socket.destroy()
    }
  }

  #answer (response: AppendResponse): void {
    const waiting = this.#waiting[0]
    if (waiting === undefined || waiting.batchId !== response.batchId) throw new Error(`response ${response.batchId} out of order`)
    if (response.errorCode === '' && response.results.length !== waiting.count) throw new Error('result count differs from item count')
    this.#waiting.shift()
    if (response.errorCode !== '') waiting.reject(new KenError(response.errorCode, `the store refused the request (${response.errorCode})`))
    else waiting.resolve(response.results)
  }

  #fail (err: KenError): void {
    this.#closed ??= err
    for (const waiting of this.#waiting.splice(0)) waiting.reject(err)
  }
}
