/**
 * A daemon's maintenance socket (maint.proto; SPEC §1.1 ken-maint): a Unix domain socket of its own
 * path, length-prefixed MaintRequest frames answered one MaintResponse each, in order. Which
 * operations a daemon offers is the handler table it passes in — anything else is answered
 * KEN_ERR_STORE_MAINT_UNSUPPORTED, so the socket's capability is exactly that table (the store's is
 * maint-server.ts, the gateway's its own). A bad frame closes that connection only.
 */
import { isKenError } from '../../../proto/src/ken-error.ts'
import type { MaintOperation, MaintRequest, MaintResponse } from '../../../proto/src/types.ts'
import { serveInOrder, type FramedSocket } from './unix-socket.ts'
import { errors } from './errors.ts'
import type { StoreLogger } from './store.ts'

/** What a handler returns: the response's fields beyond request_id and error_code. */
export type MaintAnswer = Partial<Omit<MaintResponse, 'requestId' | 'errorCode'>>
export type MaintHandler = (request: MaintRequest) => Promise<MaintAnswer>
export type MaintHandlers = Partial<Record<MaintOperation, MaintHandler>>

export interface MaintSocketOptions {
  readonly socketPath: string
  /** 0660: ken-maint reaches it through the daemon's group. */
  readonly socketMode?: number
  /** Requests are small; responses carry at most the metrics text. */
  readonly maxFrameBytes?: number
  /** For log lines: `store.maint.*` or `gateway.maint.*`. */
  readonly eventPrefix: string
  /** Told of every request for an operation the table does not offer (the store records it as an act). */
  readonly onUnsupported?: (request: MaintRequest) => Promise<void>
}

export type MaintSocket = FramedSocket

/** Listen on `options.socketPath` and answer with `handlers`. */
export async function startMaintSocket (handlers: MaintHandlers, options: MaintSocketOptions, logger: StoreLogger): Promise<MaintSocket> {
  const { eventPrefix } = options
  return await serveInOrder({
    socketPath: options.socketPath,
    socketMode: options.socketMode ?? 0o660,
    maxFrameBytes: options.maxFrameBytes ?? 64 * 1024,
    request: 'MaintRequest',
    response: 'MaintResponse',
    answer: async (request) => await answerOf(handlers, request, logger, eventPrefix, options.onUnsupported),
    onBadFrame: (err) => logger.warn({ event: `${eventPrefix}.bad_frame`, code: errors.KEN_ERR_STORE_MAINT_BAD_FRAME.code, cause: isKenError(err) ? err.code : 'unknown' }, 'bad maintenance frame: closing the connection')
  })
}

async function answerOf (handlers: MaintHandlers, request: MaintRequest, logger: StoreLogger, eventPrefix: string, onUnsupported: MaintSocketOptions['onUnsupported']): Promise<MaintResponse> {
  const base: MaintResponse = { requestId: request.requestId, errorCode: '', metricsText: '', media: [], actPosition: 0 }
  const handler = handlers[request.operation]
  if (handler === undefined) {
    logger.warn({ event: `${eventPrefix}.refused`, operation: request.operation, technician: request.technician, code: errors.KEN_ERR_STORE_MAINT_UNSUPPORTED.code }, 'operation not offered on this socket')
    await onUnsupported?.(request).catch(() => undefined)
    return { ...base, errorCode: errors.KEN_ERR_STORE_MAINT_UNSUPPORTED.code }
  }
  try {
    return { ...base, ...await handler(request) }
  } catch (err) {
    const code = isKenError(err) ? err.code : errors.KEN_ERR_STORE_MAINT_FAILED.code
    logger.warn({ event: `${eventPrefix}.failed`, operation: request.operation, technician: request.technician, code }, 'maintenance operation failed')
    return { ...base, errorCode: code }
  }
}
