/**
 * The client side of a framed reconciliation socket (framed-server.ts): requests answered in order.
 * The gateway sends chunks through it; the ken-store tool, media runs and mismatch-list requests.
 */
import net from 'node:net'
import { encodeFrame, FrameDecoder } from '../../../../proto/src/framing.ts'
import { errors } from '../errors.ts'

export class FramedClient {
  readonly #socket: net.Socket
  readonly #waiting: Array<{ resolve: (b: Buffer) => void, reject: (e: Error) => void }> = []
  readonly #decoder = new FrameDecoder()

  private constructor (socket: net.Socket) {
    this.#socket = socket
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#decoder.push(chunk)) this.#waiting.shift()?.resolve(frame)
    })
    socket.on('close', () => {
      for (const w of this.#waiting.splice(0)) w.reject(errors.KEN_ERR_STORE_CONNECTION_CLOSED())
    })
    socket.on('error', () => undefined)
  }

  static async connect (socketPath: string): Promise<FramedClient> {
    const socket = net.connect(socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new FramedClient(socket)
  }

  async request (bytes: Uint8Array): Promise<Buffer> {
    if (this.#socket.destroyed) throw errors.KEN_ERR_STORE_CONNECTION_CLOSED()
    return await new Promise<Buffer>((resolve, reject) => {
      this.#waiting.push({ resolve, reject })
      this.#socket.write(encodeFrame(bytes))
    })
  }

  get closed (): boolean {
    return this.#socket.destroyed
  }

  async close (): Promise<void> {
    if (this.#socket.destroyed) return
    await new Promise<void>((resolve) => { this.#socket.once('close', () => resolve()); this.#socket.end() })
  }
}
