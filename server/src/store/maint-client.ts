/**
 * ken-maint's side of a daemon's maintenance socket: one request at a time per call, answered in
 * order; a refusal comes back as the coded error the daemon named.
 */
import net from 'node:net'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import { KenError } from '../../../proto/src/ken-error.ts'
import type { MaintRequest, MaintResponse } from '../../../proto/src/types.ts'
import { errors } from './errors.ts'

export type MaintCall = Omit<MaintRequest, 'requestId'>

/** Send one request on a fresh connection and wait for its answer (at most `timeoutMs`). */
export async function callMaint (socketPath: string, call: MaintCall, timeoutMs = 600_000): Promise<MaintResponse> {
  return await new Promise<MaintResponse>((resolve, reject) => {
    const socket = net.connect(socketPath)
    const decoder = new FrameDecoder(16 * 1024 * 1024)
    const timer = setTimeout(() => { socket.destroy(); reject(errors.KEN_ERR_STORE_CONNECTION_CLOSED('maintenance call timed out')) }, timeoutMs)
    const done = (err: Error | undefined, response?: MaintResponse): void => {
      clearTimeout(timer)
      socket.destroy()
      if (err !== undefined) reject(err)
      else resolve(response as MaintResponse)
    }
    socket.once('connect', () => { socket.write(encodeFrame(encodeComplete('MaintRequest', { ...call, requestId: 1 }))) })
    socket.on('error', (err) => { done(errors.KEN_ERR_STORE_CONNECTION_CLOSED((err as NodeJS.ErrnoException).code)) })
    socket.once('close', () => { done(errors.KEN_ERR_STORE_CONNECTION_CLOSED()) })
    socket.on('data', (chunk: Buffer) => {
      try {
        const frame = decoder.push(chunk)[0]
        if (frame === undefined) return
        const response = decode('MaintResponse', frame)
        if (response.errorCode !== '') done(new KenError(response.errorCode, `the daemon refused: ${response.errorCode}`))
        else done(undefined, response)
      } catch (err) {
        done(err instanceof Error ? err : errors.KEN_ERR_STORE_PROTOCOL())
      }
    })
  })
}
