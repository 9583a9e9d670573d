/**
 * ken-national's side of the store's outbox socket (outbox.proto): reads and confirms, each answered
 * in its own order, and the queries the store pushes. This is all ken-national can ask of the store —
 * it has no message that reads a resident (SPEC §1.1).
 */
import net from 'node:net'
import { EventEmitter } from 'node:events'
import { encode } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import type { NationalSearchRequest, NationalSearchResponse, OutboxConfirmed } from '../../../proto/src/types.ts'
import { readOutboxMessage, type OutboxBatchRead } from './outbox-batch.ts'
import { errors } from './errors.ts'

interface Waiter<T> { resolve: (v: T) => void, reject: (e: Error) => void }

export interface OutboxClientEvents {
  query: [NationalSearchRequest]
  close: []
}

export class OutboxClient extends EventEmitter<OutboxClientEvents> {
  readonly #socket: net.Socket
  readonly #decoder = new FrameDecoder()
  readonly #reads: Array<Waiter<OutboxBatchRead>> = []
  readonly #confirms: Array<Waiter<OutboxConfirmed>> = []
  #closed = false

  private constructor (socket: net.Socket) {
    super()
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => this.#onClose())
  }

  /** Connect to the outbox socket. @throws the connect error (ENOENT, ECONNREFUSED) */
  static async connect (socketPath: string): Promise<OutboxClient> {
    const socket = net.connect(socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => { socket.off('error', reject); resolve() })
      socket.once('error', reject)
    })
    return new OutboxClient(socket)
  }

  get closed (): boolean {
    return this.#closed
  }

  /** A read's forwards as the store encoded them (outbox-batch.ts): carried on unread. */
  async read (fromPosition: number, maxItems: number, waitMs: number): Promise<OutboxBatchRead> {
    return await this.#ask(this.#reads, { read: { fromPosition, maxItems, waitMs } })
  }

  async confirm (upToPosition: number, peer: string): Promise<OutboxConfirmed> {
    return await this.#ask(this.#confirms, { confirm: { upToPosition, peer } })
  }

  answer (response: NationalSearchResponse): void {
    if (!this.#closed) this.#socket.write(encodeFrame(encode('OutboxRequest', { queryAnswer: response })))
  }

  close (): void {
    this.#socket.destroy()
  }

  async #ask<T> (queue: Array<Waiter<T>>, request: Parameters<typeof encode<'OutboxRequest'>>[1]): Promise<T> {
    if (this.#closed) throw errors.KEN_ERR_NATIONAL_OUTBOX_CLOSED()
    return await new Promise<T>((resolve, reject) => {
      queue.push({ resolve, reject })
      this.#socket.write(encodeFrame(encode('OutboxRequest', request)))
    })
  }

  #onData (chunk: Buffer): void {
    try {
      for (const frame of this.#decoder.push(chunk)) {
        const read = readOutboxMessage(frame)
        if (read.batch !== undefined) {
          this.#reads.shift()?.resolve(read.batch)
          continue
        }
        const message = read.other
        if (message.confirmed !== undefined && message.confirmed !== null) this.#confirms.shift()?.resolve(message.confirmed)
        else if (message.query !== undefined && message.query !== null) this.emit('query', message.query)
        else throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
      }
    } catch {
      this.#socket.destroy()
    }
  }

  #onClose (): void {
    if (this.#closed) return
    this.#closed = true
    for (const w of [...this.#reads.splice(0), ...this.#confirms.splice(0)]) w.reject(errors.KEN_ERR_NATIONAL_OUTBOX_CLOSED())
    this.emit('close')
  }
}
