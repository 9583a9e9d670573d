/**
 * ken-terminal's side of the terminal socket (server/src/store/terminal-server.ts): one Unix socket
 * connection, length-prefixed TerminalRequest/TerminalResponse frames paired by request_id. The
 * terminal keeps no session state of its own: every request carries the operator's session token,
 * and the store decides.
 */
import net from 'node:net'
import { decode, encodeComplete } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import type { TerminalRequest, TerminalResponse } from '../../../proto/src/types.ts'
import { errors } from '../store/terminal/errors.ts'

type Pending = { resolve: (r: TerminalResponse) => void, reject: (e: Error) => void }

/** What the routes need of the store. */
export interface StoreLink {
  ask: (req: Omit<TerminalRequest, 'requestId' | 'terminalId'>) => Promise<TerminalResponse>
  close: () => Promise<void>
}

export class TerminalClient implements StoreLink {
  readonly #socketPath: string
  readonly #terminalId: string
  readonly #pending = new Map<number, Pending>()
  #socket: net.Socket | undefined
  #connecting: Promise<net.Socket> | undefined
  #nextId = 1
  #closed = false

  constructor (socketPath: string, terminalId: string) {
    this.#socketPath = socketPath
    this.#terminalId = terminalId
  }

  async ask (req: Omit<TerminalRequest, 'requestId' | 'terminalId'>): Promise<TerminalResponse> {
    if (this.#closed) throw errors.KEN_ERR_TERM_UNAVAILABLE('terminal link closed')
    const socket = await this.#connect()
    const requestId = this.#nextId++
    return await new Promise<TerminalResponse>((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject })
      socket.write(encodeFrame(encodeComplete('TerminalRequest', { ...req, requestId, terminalId: this.#terminalId })))
    })
  }

  async close (): Promise<void> {
    this.#closed = true
    this.#socket?.end()
    this.#socket?.destroy()
  }

  async #connect (): Promise<net.Socket> {
    if (this.#socket !== undefined && !this.#socket.destroyed) return this.#socket
    this.#connecting ??= new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(this.#socketPath)
      const decoder = new FrameDecoder(4 << 20)
      socket.once('connect', () => {
        this.#socket = socket
        this.#connecting = undefined
        resolve(socket)
      })
      socket.on('data', (chunk: Buffer) => {
        try {
          for (const frame of decoder.push(chunk)) {
            const response = decode('TerminalResponse', frame)
            const pending = this.#pending.get(response.requestId)
            this.#pending.delete(response.requestId)
            pending?.resolve(response)
          }
        } catch {
          socket.destroy()
        }
      })
      const fail = (): void => {
        this.#connecting = undefined
        this.#socket = undefined
        for (const p of this.#pending.values()) p.reject(errors.KEN_ERR_TERM_UNAVAILABLE('the store closed the terminal socket'))
        this.#pending.clear()
      }
      socket.once('error', (err) => { fail(); reject(errors.KEN_ERR_TERM_UNAVAILABLE(undefined, { cause: err })) })
      socket.once('close', fail)
    })
    return await this.#connecting
  }
}
