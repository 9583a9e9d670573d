/**
 * The outbox socket (SPEC §1.1 ken-national's row, §5.1): a Unix domain socket of its own, whose only
 * capabilities are reading the forwards in log order, confirming delivery, and carrying the national
 * queries the store asks for (outbox.proto). Exactly one consumer: a second connection is closed at
 * once while one is open. A frame that is not an OutboxRequest — an AppendRequest included — closes
 * that connection: nothing else of the store is reachable here.
 */
import net from 'node:net'
import { mkdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { decode } from '../../../proto/src/codec.ts'
import { DEFAULT_MAX_FRAME, FrameDecoder } from '../../../proto/src/framing.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { NationalSearchRequest, NationalSearchResponse, OutboxMessage, OutboxRequest } from '../../../proto/src/types.ts'
import type { Store, StoreLogger } from './store.ts'
import { OutboxSession } from './outbox-session.ts'
import { encodeOutboxFrame } from './outbox-encode.ts'
import { listenUnixSocket, removeStaleSocket } from './unix-socket.ts'
import { errors } from './errors.ts'

export interface OutboxServerOptions {
  readonly socketPath: string
  /** File mode of the socket (default 0660: ken-national reaches it through the group). */
  readonly socketMode?: number
  readonly maxFrameBytes?: number
}

/** The store's side of the national link, as the daemon and the query API see it. */
export interface OutboxServer {
  readonly socketPath: string
  /** True while a ken-national is connected. */
  readonly connected: boolean
  /**
   * Carry one query to the national server through the connected ken-national and wait for its answer.
   * @throws KEN_ERR_STORE_NATIONAL_NO_LINK, KEN_ERR_STORE_NATIONAL_TIMEOUT
   */
  relay: (request: NationalSearchRequest, timeoutMs: number) => Promise<NationalSearchResponse>
  stopAccepting: () => Promise<void>
  close: () => Promise<void>
}

/** Listen on `options.socketPath`. @throws KEN_ERR_STORE_SOCKET_IN_USE, KEN_ERR_STORE_SOCKET_PATH */
export async function startOutboxServer (store: Store, options: OutboxServerOptions, logger: StoreLogger): Promise<OutboxServer> {
  const socketPath = options.socketPath
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o750 })
  await removeStaleSocket(socketPath)
  let active: OutboxConnection | undefined
  const server = net.createServer((socket) => {
    if (active !== undefined) {
      logger.warn({ event: 'store.outbox.refused', code: errors.KEN_ERR_STORE_OUTBOX_BUSY.code }, 'second outbox consumer refused')
      socket.destroy()
      return
    }
    const connection = new OutboxConnection(socket, store, logger, options.maxFrameBytes ?? DEFAULT_MAX_FRAME)
    active = connection
    logger.info({ event: 'store.outbox.connected' }, 'outbox consumer connected')
    socket.once('close', () => {
      if (active === connection) active = undefined
      connection.failQueries()
      logger.info({ event: 'store.outbox.disconnected' }, 'outbox consumer gone')
    })
  })
  await listenUnixSocket(server, socketPath, options.socketMode ?? 0o660)
  server.on('error', (err) => logger.error({ event: 'store.socket.error', code: (err as NodeJS.ErrnoException).code }, 'outbox socket error'))
  let closed: Promise<void> | undefined
  const stopAccepting = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()))
    return Promise.resolve()
  }
  return {
    socketPath,
    get connected () { return active !== undefined },
    relay: async (request, timeoutMs) => {
      if (active === undefined) throw errors.KEN_ERR_STORE_NATIONAL_NO_LINK()
      return await active.relay(request, timeoutMs)
    },
    stopAccepting,
    close: async () => {
      await stopAccepting()
      active?.end()
      await closed
      await unlink(socketPath).catch(() => undefined)
    }
  }
}

interface PendingQuery {
  readonly resolve: (r: NationalSearchResponse) => void
  readonly reject: (e: Error) => void
  readonly timer: NodeJS.Timeout
}

class OutboxConnection {
  readonly #socket: net.Socket
  readonly #logger: StoreLogger
  readonly #decoder: FrameDecoder
  readonly #session: OutboxSession
  readonly #queries = new Map<string, PendingQuery>()
  // Reads and confirms are answered in their own order; a read waiting for new entries never holds up a confirm.
  #reads: Promise<void> = Promise.resolve()
  #confirms: Promise<void> = Promise.resolve()

  constructor (socket: net.Socket, store: Store, logger: StoreLogger, maxFrame: number) {
    this.#socket = socket
    this.#logger = logger
    this.#decoder = new FrameDecoder(maxFrame)
    this.#session = new OutboxSession(store, logger, () => !socket.destroyed)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', (err) => logger.warn({ event: 'store.outbox.connection_error', code: (err as NodeJS.ErrnoException).code }, 'outbox connection error'))
  }

  async relay (request: NationalSearchRequest, timeoutMs: number): Promise<NationalSearchResponse> {
    return await new Promise<NationalSearchResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#queries.delete(request.queryId)
        reject(errors.KEN_ERR_STORE_NATIONAL_TIMEOUT())
      }, timeoutMs)
      this.#queries.set(request.queryId, { resolve, reject, timer })
      this.#send({ query: request })
    })
  }

  failQueries (): void {
    for (const [id, q] of this.#queries) {
      clearTimeout(q.timer)
      q.reject(errors.KEN_ERR_STORE_NATIONAL_NO_LINK())
      this.#queries.delete(id)
    }
  }

  end (): void {
    this.#socket.end()
    setTimeout(() => this.#socket.destroy(), 2000).unref()
  }

  #onData (chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.#decoder.push(chunk)
    } catch (err) {
      return this.#badFrame(err)
    }
    for (const frame of frames) {
      let request: OutboxRequest
      try {
        request = decode('OutboxRequest', frame)
      } catch (err) {
        return this.#badFrame(err)
      }
      if (!this.#handle(request)) return this.#badFrame(undefined)
    }
  }

  #handle (request: OutboxRequest): boolean {
    const { read, confirm, queryAnswer } = request
    if (read !== undefined && read !== null) {
      this.#reads = this.#reads.then(async () => {
        const batch = await this.#session.read(read)
        this.#send({ batch })
      }).catch((err: unknown) => this.#failed(err))
      return true
    }
    if (confirm !== undefined && confirm !== null) {
      this.#confirms = this.#confirms.then(async () => {
        const confirmed = await this.#session.confirm(confirm)
        this.#send({ confirmed })
      }).catch((err: unknown) => this.#failed(err))
      return true
    }
    if (queryAnswer !== undefined && queryAnswer !== null) {
      const pending = this.#queries.get(queryAnswer.queryId)
      // An answer nobody asked for (late, or invented) is dropped: it reaches no terminal.
      if (pending === undefined) {
        this.#logger.warn({ event: 'store.outbox.unexpected_answer' }, 'national answer to no pending query dropped')
        return true
      }
      this.#queries.delete(queryAnswer.queryId)
      clearTimeout(pending.timer)
      pending.resolve(queryAnswer)
      return true
    }
    return false
  }

  #send (message: OutboxMessage): void {
    if (this.#socket.destroyed) return
    this.#socket.write(encodeOutboxFrame(message))
  }

  #failed (err: unknown): void {
    const code = isKenError(err) ? err.code : 'unknown'
    this.#logger.error({ event: 'store.outbox.failed', code }, 'outbox request failed; closing the connection')
    this.#socket.destroy()
  }

  #badFrame (err: unknown): void {
    const cause = isKenError(err) ? err.code : 'no request'
    this.#logger.warn({ event: 'store.outbox.bad_frame', code: errors.KEN_ERR_STORE_BAD_FRAME.code, cause }, 'not an outbox request: closing the connection')
    this.#socket.destroy()
  }
}
