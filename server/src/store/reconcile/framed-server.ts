/**
 * A Unix domain socket of length-prefixed protobuf frames (proto/src/framing.ts) answered in order —
 * the shape of the append socket (append-server.ts), for the reconciliation capabilities: one socket
 * path per capability (SPEC §1.1), so the gateway's socket offers chunks and nothing else.
 */
import { listenUnixSocket, removeStaleSocket } from '../unix-socket.ts'
import net from 'node:net'
import { mkdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from '../../../../proto/src/framing.ts'
import type { StoreLogger } from '../store.ts'
import { errors } from '../errors.ts'

export interface FramedServer {
  readonly socketPath: string
  close: () => Promise<void>
}

/** Serve `handle` (one frame in, one frame out, in order; a throw closes that connection only). */
export async function startFramedServer (socketPath: string, socketMode: number, handle: (frame: Buffer) => Promise<Uint8Array>, logger: StoreLogger, event: string): Promise<FramedServer> {
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o750 })
  await removeStaleSocket(socketPath)
  const sockets = new Set<net.Socket>()
  const tails = new Set<Promise<void>>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', (err) => logger.warn({ event: `${event}.connection_error`, code: (err as NodeJS.ErrnoException).code }, 'connection error'))
    const decoder = new FrameDecoder(DEFAULT_MAX_FRAME)
    let tail: Promise<void> = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[]
      try {
        frames = decoder.push(chunk)
      } catch {
        logger.warn({ event: `${event}.bad_frame`, code: errors.KEN_ERR_STORE_BAD_FRAME.code }, 'bad frame: closing the connection')
        return socket.destroy()
      }
      for (const frame of frames) {
        const answer = handle(frame)
        answer.catch(() => undefined)
        tail = tail.then(async () => {
          try {
            const bytes = await answer
            if (!socket.destroyed) socket.write(encodeFrame(bytes))
          } catch {
            logger.warn({ event: `${event}.bad_frame`, code: errors.KEN_ERR_STORE_BAD_FRAME.code }, 'undecodable request: closing the connection')
            socket.destroy()
          }
        })
        tails.add(tail)
        const t = tail
        void t.finally(() => tails.delete(t))
      }
    })
  })
  await listenUnixSocket(server, socketPath, socketMode)
  return {
    socketPath,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      await Promise.all([...tails])
      for (const s of sockets) s.end()
      setTimeout(() => { for (const s of sockets) s.destroy() }, 2000).unref()
      await closed
      await unlink(socketPath).catch(() => undefined)
    }
  }
}
