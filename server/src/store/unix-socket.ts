/**
 * The store's Unix domain sockets (SPEC §1.1: one socket per capability): what every socket server
 * of the store does before it serves — clear a socket file left by a daemon that died, listen, and
 * set the file mode that decides which daemon's group may connect; and the request–response loop of
 * the sockets answered in order.
 */
import net from 'node:net'
import path from 'node:path'
import { chmod, lstat, mkdir, unlink } from 'node:fs/promises'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import type { MessageMap, MessageName } from '../../../proto/src/types.ts'
import { errors } from './errors.ts'

/** A socket file left by a daemon that died is removed; one that answers belongs to a live daemon. */
export async function removeStaleSocket (socketPath: string): Promise<void> {
  let info
  try {
    info = await lstat(socketPath)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  if (!info.isSocket()) throw errors.KEN_ERR_STORE_SOCKET_PATH(undefined, { field: 'socketPath' })
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath)
    probe.once('connect', () => { probe.destroy(); resolve(true) })
    probe.once('error', () => resolve(false))
  })
  if (alive) throw errors.KEN_ERR_STORE_SOCKET_IN_USE(undefined, { field: 'socketPath' })
  await unlink(socketPath)
}

/** Listen on `socketPath` and give the socket file `mode`; rejects when the path cannot be bound. */
export async function listenUnixSocket (server: net.Server, socketPath: string, mode: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
  await chmod(socketPath, mode)
}

export interface FramedSocket {
  readonly socketPath: string
  close: () => Promise<void>
}

export interface InOrderSocketOptions<Q extends MessageName, R extends MessageName> {
  readonly socketPath: string
  readonly socketMode: number
  readonly maxFrameBytes: number
  readonly request: Q
  readonly response: R
  /** Called once per request as it arrives; answers go back in the order the requests came. */
  readonly answer: (request: MessageMap[Q]) => Promise<MessageMap[R]>
  /** A frame too big or not a `request`: told, then that connection (only) is closed. */
  readonly onBadFrame: (err: unknown) => void
}

/**
 * A request–response socket answered in order (proto/src/framing.ts frames; the transparency and
 * maintenance sockets): each request frame is answered by one response frame, in the order the
 * requests came, and a bad frame closes that connection only.
 */
export async function serveInOrder<Q extends MessageName, R extends MessageName> (o: InOrderSocketOptions<Q, R>): Promise<FramedSocket> {
  await mkdir(path.dirname(o.socketPath), { recursive: true, mode: 0o750 })
  await removeStaleSocket(o.socketPath)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    const decoder = new FrameDecoder(o.maxFrameBytes)
    let tail = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      let requests: Array<MessageMap[Q]>
      try {
        requests = decoder.push(chunk).map((frame) => decode(o.request, frame))
      } catch (err) {
        o.onBadFrame(err)
        socket.destroy()
        return
      }
      for (const request of requests) {
        const answer = o.answer(request)
        tail = tail.then(async () => {
          const response = await answer
          if (!socket.destroyed) socket.write(encodeFrame(encodeComplete(o.response, response)))
        })
      }
    })
  })
  await listenUnixSocket(server, o.socketPath, o.socketMode)
  return {
    socketPath: o.socketPath,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const s of sockets) s.destroy()
      await closed
      await unlink(o.socketPath).catch(() => undefined)
    }
  }
}
