/**
 * The transparency socket (SPEC §4, §1.1): a read-only Unix domain socket capability of the store
 * daemon, beside the append socket. It serves checkpoints, inclusion and consistency proofs and the
 * verifier key — nothing that writes, nothing personal in clear — to the CLI and to the gateway (CS
 * receipts). Length-prefixed frames (proto/src/framing.ts); each TransparencyRequest gets one
 * TransparencyResponse, in order. A bad frame closes that connection only.
 */
import { DEFAULT_MAX_FRAME } from '../../../proto/src/framing.ts'
import type { Store, StoreLogger } from './store.ts'
import { answerTransparency } from './transparency-answer.ts'
import { serveInOrder, type FramedSocket } from './unix-socket.ts'

/** Requests are small; a big frame is not one of ours. */
const MAX_FRAME = 64 * 1024

export type TransparencyServer = FramedSocket

export async function startTransparencyServer (store: Store, options: { socketPath: string, socketMode?: number }, logger: StoreLogger): Promise<TransparencyServer> {
  return await serveInOrder({
    socketPath: options.socketPath,
    socketMode: options.socketMode ?? 0o660,
    maxFrameBytes: Math.min(MAX_FRAME, DEFAULT_MAX_FRAME),
    request: 'TransparencyRequest',
    response: 'TransparencyResponse',
    answer: async (request) => await answerTransparency(store.transparency, store.logVerifierKey, request),
    onBadFrame: () => logger.warn({ event: 'store.transparency.bad_frame' }, 'bad frame on the transparency socket: closing the connection')
  })
}
