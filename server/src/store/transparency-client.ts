/**
 * The client of the transparency socket (transparency-server.ts): the CLI against a running daemon,
 * and the gateway asking for a CS's receipts. Requests are pipelined and answered in order.
 */
import net from 'node:net'
import path from 'node:path'
import { decode, encode } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import type { TransparencyRequest, TransparencyResponse } from '../../../proto/src/types.ts'
import { errors } from './errors.ts'

/** The transparency socket's default path: beside the append socket. */
export function defaultTransparencySocket (appendSocketPath: string): string {
  return path.join(path.dirname(appendSocketPath), 'transparency.sock')
}

type Query = Omit<TransparencyRequest, 'requestId'>

export class TransparencyClient {
  readonly #socket: net.Socket
  readonly #waiting = new Map<number, { resolve: (r: TransparencyResponse) => void, reject: (e: Error) => void }>()
  #next = 1

  private constructor (socket: net.Socket) {
    this.#socket = socket
    const decoder = new FrameDecoder(16 * 1024 * 1024)
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) {
          const response = decode('TransparencyResponse', frame)
          const waiting = this.#waiting.get(response.requestId)
          this.#waiting.delete(response.requestId)
          waiting?.resolve(response)
        }
      } catch (err) {
        this.#failAll(errors.KEN_ERR_STORE_PROTOCOL(undefined, { cause: err }))
        socket.destroy()
      }
    })
    socket.on('error', () => undefined)
    socket.on('close', () => this.#failAll(errors.KEN_ERR_STORE_CONNECTION_CLOSED()))
  }

  static async connect (socketPath: string): Promise<TransparencyClient> {
    const socket = net.connect(socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new TransparencyClient(socket)
  }

  /** Ask one question; resolves with the answer (check its errorCode). */
  async ask (query: Query): Promise<TransparencyResponse> {
    const requestId = this.#next++
    return await new Promise<TransparencyResponse>((resolve, reject) => {
      this.#waiting.set(requestId, { resolve, reject })
      this.#socket.write(encodeFrame(encode('TransparencyRequest', { requestId, ...query })))
    })
  }

  close (): void {
    this.#socket.end()
  }

  #failAll (err: Error): void {
    for (const w of this.#waiting.values()) w.reject(err)
    this.#waiting.clear()
  }
}
