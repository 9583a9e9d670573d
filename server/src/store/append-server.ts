/**
 * The append socket (SPEC §3 last bullet): a Unix domain socket whose only capability is "append
 * these updates, return their results". Frames are length-prefixed (proto/src/framing.ts); each
 * AppendRequest is answered by one AppendResponse with its batch_id, in the order of the requests,
 * and only once its entries are durable. A connection that sends an oversized or undecodable frame
 * is closed — that connection only; the daemon and every other connection go on.
 */
import { listenUnixSocket, removeStaleSocket } from './unix-socket.ts'
import net from 'node:net'
import { mkdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_MAX_FRAME, FrameDecoder } from '../../../proto/src/framing.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { AppendRequest, AppendResponse } from '../../../proto/src/types.ts'
import type { Store, StoreLogger } from './store.ts'
import { errors } from './errors.ts'
import { encodeAppendResponseFrame } from './append-response.ts'
import { decodeAppendRequest } from './append-request-decode.ts'

export interface AppendServerOptions {
  readonly socketPath: string
  /** File mode of the socket (default 0660: the gateway reaches it through the group). */
  readonly socketMode?: number
  readonly maxFrameBytes?: number
  /** Requests of one connection awaiting their response before it stops reading (back-pressure). */
  readonly maxPendingPerConnection?: number
  /** Told of every request answered: item count, seconds from receipt, results, refusal code ('' if none). */
  readonly onAnswered?: (items: number, seconds: number, response: AppendResponse) => void
}

export interface AppendServer {
  readonly socketPath: string
  /** Open connections. */
  readonly connections: number
  /** Stop accepting connections; existing ones stay until {@link close}. */
  stopAccepting: () => Promise<void>
  /** Wait until every accepted request is answered, then close every connection and remove the socket. */
  close: () => Promise<void>
}

/** Listen on `options.socketPath` for `store`. @throws KEN_ERR_STORE_SOCKET_IN_USE, KEN_ERR_STORE_SOCKET_PATH */
export async function startAppendServer (store: Store, options: AppendServerOptions, logger: StoreLogger): Promise<AppendServer> {
  const socketPath = options.socketPath
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o750 })
  await removeStaleSocket(socketPath)
  const connections = new Set<AppendConnection>()
  const server = net.createServer((socket) => {
    const connection = new AppendConnection(socket, store, logger, options.maxFrameBytes ?? DEFAULT_MAX_FRAME, options.maxPendingPerConnection ?? 1024, options.onAnswered)
    connections.add(connection)
    socket.once('close', () => connections.delete(connection))
  })
  await listenUnixSocket(server, socketPath, options.socketMode ?? 0o660)
  server.on('error', (err) => logger.error({ event: 'store.socket.error', code: (err as NodeJS.ErrnoException).code }, 'append socket error'))
  let closed: Promise<void> | undefined
  // net.Server#close stops accepting at once, and calls back only when every connection has ended.
  const stopAccepting = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
    return Promise.resolve()
  }
  return {
    socketPath,
    get connections () { return connections.size },
    stopAccepting,
    close: async () => {
      await stopAccepting()
      await Promise.all([...connections].map(async (c) => await c.finish()))
      await closed
      await unlink(socketPath).catch(() => undefined)
    }
  }
}

const FINISH_TIMEOUT_MS = 2000

/** One gateway connection: decode frames, append in order, answer in order. */
class AppendConnection {
  readonly #socket: net.Socket
  readonly #store: Store
  readonly #logger: StoreLogger
  readonly #decoder: FrameDecoder
  readonly #maxPending: number
  readonly #onAnswered: AppendServerOptions['onAnswered']
  #pending = 0
  #tail: Promise<void> = Promise.resolve()

  constructor (socket: net.Socket, store: Store, logger: StoreLogger, maxFrame: number, maxPending: number, onAnswered: AppendServerOptions['onAnswered']) {
    this.#onAnswered = onAnswered
    this.#socket = socket
    this.#store = store
    this.#logger = logger
    this.#decoder = new FrameDecoder(maxFrame)
    this.#maxPending = maxPending
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (err) => logger.warn({ event: 'store.connection.error', code: (err as NodeJS.ErrnoException).code }, 'append connection error'))
  }

  /** Answer everything already received, then end the connection. */
  async finish (): Promise<void> {
    this.#socket.pause()
    await this.#tail
    await new Promise<void>((resolve) => {
      if (this.#socket.destroyed) return resolve()
      this.#socket.once('close', () => resolve())
      this.#socket.end()
      // A peer that never closes its half must not hold up the shutdown.
      setTimeout(() => this.#socket.destroy(), FINISH_TIMEOUT_MS).unref()
    })
  }

  #onData (chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.#decoder.push(chunk)
    } catch (err) {
      return this.#badFrame(err)
    }
    for (const frame of frames) {
      let request: AppendRequest
      try {
        request = decodeAppendRequest(frame)
      } catch (err) {
        return this.#badFrame(err)
      }
      this.#handle(request)
    }
  }

  #handle (request: AppendRequest): void {
    const received = performance.now()
    // store.append queues synchronously, so requests keep their order in the log (SPEC §3).
    const answer: Promise<AppendResponse> = this.#store.append(request.items).then(
      (results) => ({ batchId: request.batchId, results, errorCode: '' }),
      (err: unknown) => {
        const code = isKenError(err) ? err.code : errors.KEN_ERR_STORE_APPEND_FAILED.code
        this.#logger.warn({ event: 'store.append.refused', code, items: request.items.length }, 'append request refused')
        return { batchId: request.batchId, results: [], errorCode: code }
      })
    this.#pending++
    if (this.#pending >= this.#maxPending) this.#socket.pause()
    this.#tail = this.#tail.then(async () => {
      const response = await answer
      this.#onAnswered?.(request.items.length, (performance.now() - received) / 1000, response)
      this.#pending--
      if (this.#socket.destroyed) return
      this.#socket.write(encodeAppendResponseFrame(response))
      if (this.#socket.isPaused() && this.#pending < this.#maxPending / 2) this.#socket.resume()
    })
  }

  #badFrame (err: unknown): void {
    const code = isKenError(err) ? err.code : 'unknown'
    this.#logger.warn({ event: 'store.append.bad_frame', code: errors.KEN_ERR_STORE_BAD_FRAME.code, cause: code }, 'bad frame: closing the connection')
    this.#socket.destroy()
  }
}
