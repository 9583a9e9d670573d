/**
 * The terminal socket (SPEC §1.1): a Unix domain socket whose only capability is "act for an
 * authenticated operator session, within that operator's role and approved purposes". ken-terminal
 * is its one client. Each TerminalRequest frame is answered by one TerminalResponse with the same
 * request_id, as soon as its act is durable (answers may overtake each other; the id pairs them).
 * A bad frame closes that connection only.
 */
import net from 'node:net'
import { mkdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { TerminalRequest } from '../../../proto/src/types.ts'
import type { StoreLogger } from './store.ts'
import { listenUnixSocket, removeStaleSocket } from './unix-socket.ts'
import type { TerminalService } from './terminal/service.ts'

export interface TerminalServerOptions {
  readonly socketPath: string
  /** Default 0660: ken-terminal reaches it through the group. */
  readonly socketMode?: number
  /** Terminal requests are small (a search, an account change with a certificate). */
  readonly maxFrameBytes?: number
  readonly maxPendingPerConnection?: number
}

export interface TerminalServer {
  readonly socketPath: string
  close: () => Promise<void>
}

export async function startTerminalServer (service: TerminalService, options: TerminalServerOptions, logger: StoreLogger): Promise<TerminalServer> {
  const socketPath = options.socketPath
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o750 })
  await removeStaleSocket(socketPath)
  const sockets = new Set<net.Socket>()
  const inflight = new Set<Promise<void>>()
  const maxFrame = options.maxFrameBytes ?? 256 * 1024
  const maxPending = options.maxPendingPerConnection ?? 64
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', (err) => logger.warn({ event: 'store.terminal.connection.error', code: (err as NodeJS.ErrnoException).code }, 'terminal connection error'))
    const decoder = new FrameDecoder(maxFrame)
    let pending = 0
    socket.on('data', (chunk: Buffer) => {
      let requests: TerminalRequest[]
      try {
        requests = decoder.push(chunk).map((frame) => decode('TerminalRequest', frame))
      } catch (err) {
        logger.warn({ event: 'store.terminal.bad_frame', code: isKenError(err) ? err.code : 'unknown' }, 'bad terminal frame: closing the connection')
        socket.destroy()
        return
      }
      for (const request of requests) {
        pending++
        if (pending >= maxPending) socket.pause()
        const job = service.handle(request).then((response) => {
          pending--
          if (socket.isPaused() && pending < maxPending / 2) socket.resume()
          if (!socket.destroyed) socket.write(encodeFrame(encodeComplete('TerminalResponse', response)))
        })
        inflight.add(job)
        void job.finally(() => inflight.delete(job))
      }
    })
  })
  await listenUnixSocket(server, socketPath, options.socketMode ?? 0o660)
  return {
    socketPath,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      await Promise.all([...inflight])
      for (const s of sockets) s.end()
      setTimeout(() => { for (const s of sockets) s.destroy() }, 2000).unref()
      await closed
      await unlink(socketPath).catch(() => undefined)
    }
  }
}
