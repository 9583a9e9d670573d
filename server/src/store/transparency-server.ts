/**
 * The transparency socket (SPEC §4, §1.1): a read-only Unix domain socket capability of the store
 * daemon, beside the append socket. It serves checkpoints, inclusion and consistency proofs and the
 * verifier key — nothing that writes, nothing personal in clear — to the CLI and to the gateway (CS
 * receipts). Length-prefixed frames (proto/src/framing.ts); each TransparencyRequest gets one
 * TransparencyResponse, in order. A bad frame closes that connection only.
 */
import net from 'node:net'
import { mkdir, unlink } from 'node:fs/promises'
import path from 'node:path'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import type { TransparencyRequest } from '../../../proto/src/types.ts'
import type { Store, StoreLogger } from './store.ts'
import { answerTransparency } from './transparency-answer.ts'
import { listenUnixSocket, removeStaleSocket } from './unix-socket.ts'

/** Requests are small; a big frame is not one of ours. */
const MAX_FRAME = 64 * 1024

export interface TransparencyServer {
  readonly socketPath: string
  close: () => Promise<void>
}

export async function startTransparencyServer (store: Store, options: { socketPath: string, socketMode?: number }, logger: StoreLogger): Promise<TransparencyServer> {
  const socketPath = options.socketPath
  await mkdir(path.dirname(socketPath), { recursive: true, mode: 0o750 })
  await removeStaleSocket(socketPath)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    const decoder = new FrameDecoder(Math.min(MAX_FRAME, DEFAULT_MAX_FRAME))
    let tail = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      let requests: TransparencyRequest[]
      try {
        requests = decoder.push(chunk).map((frame) => decode('TransparencyRequest', frame))
      } catch {
        logger.warn({ event: 'store.transparency.bad_frame' }, 'bad frame on the transparency socket: closing the connection')
        socket.destroy()
        return
      }
      for (const request of requests) {
        const answer = answerTransparency(store.transparency, store.logVerifierKey, request)
        tail = tail.then(async () => {
          const response = await answer
          if (!socket.destroyed) socket.write(encodeFrame(encodeComplete('TransparencyResponse', response)))
        })
      }
    })
  })
  await listenUnixSocket(server, socketPath, options.socketMode ?? 0o660)
  return {
    socketPath,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
      await unlink(socketPath).catch(() => undefined)
    }
  }
}
