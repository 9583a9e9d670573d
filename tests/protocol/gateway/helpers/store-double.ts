/**
 * A test double of the store's append socket speaking store.proto (length-prefixed AppendRequest /
 * AppendResponse, answered in order): idempotent on (municipality, stream, sequence), a rejection
 * item is recorded as REJECTED, an update ACCEPTED. It can be told to fail or hold requests, which
 * the real store cannot be asked to do on cue — that is what it is for.
 */
import { createHash } from 'node:crypto'
import net from 'node:net'
import { decode, encode } from '../../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../../proto/src/framing.ts'
import { ResultStatus, type AppendItem, type UpdateResult } from '../../../../proto/src/types.ts'

export class AppendServerDouble {
  readonly path: string
  /** Every item received, in order (unless `retainItems` is false). */
  readonly items: AppendItem[] = []
  retainItems = true
  /** Sizes of the AppendRequests answered. */
  readonly batches: number[] = []
  /** Items received, answered or not yet. */
  received = 0
  /** Items answered (committed or failed). */
  answered = 0
  /** Most items received and not yet answered at any one time. */
  peakPending = 0
  /** Answer the next N requests with error_code (nothing committed). */
  failNext = 0
  /** Hold every answer this long (ms). */
  delayMs = 0
  readonly #server: net.Server
  readonly #sockets = new Set<net.Socket>()
  readonly #seen = new Map<string, UpdateResult>()
  #position = 0

  private constructor (path: string, server: net.Server) {
    this.path = path
    this.#server = server
  }

  static async listen (path: string): Promise<AppendServerDouble> {
    const server = net.createServer()
    const double = new AppendServerDouble(path, server)
    server.on('connection', (socket) => { double.#serve(socket) })
    await new Promise<void>((resolve) => server.listen(path, resolve))
    return double
  }

  /** Drop every connection (as a crashed store would). */
  dropConnections (): void {
    for (const s of this.#sockets) s.destroy()
  }

  async close (): Promise<void> {
    this.dropConnections()
    await new Promise<void>((resolve) => this.#server.close(() => { resolve() }))
  }

  #serve (socket: net.Socket): void {
    this.#sockets.add(socket)
    socket.on('close', () => this.#sockets.delete(socket))
    socket.on('error', () => {})
    const frames = new FrameDecoder()
    let answering = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        const req = decode('AppendRequest', frame)
        this.received += req.items.length
        this.peakPending = Math.max(this.peakPending, this.received - this.answered)
        answering = answering.then(async () => {
          if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
          socket.write(encodeFrame(encode('AppendResponse', this.#answer(req.batchId, req.items))))
        })
      }
    })
  }

  #answer (batchId: number, items: AppendItem[]): { batchId: number, results: UpdateResult[], errorCode: string } {
    this.answered += items.length
    if (this.failNext > 0) {
      this.failNext--
      return { batchId, results: [], errorCode: 'KEN_ERR_STORE_TEST_FAILURE' }
    }
    this.batches.push(items.length)
    return { batchId, results: items.map((item) => this.#apply(item)), errorCode: '' }
  }

  #apply (item: AppendItem): UpdateResult {
    if (this.retainItems) this.items.push(item)
    const u = item.update ?? undefined
    const r = item.rejection ?? undefined
    const key = `${item.municipalityCode}/${u?.stream ?? r?.stream ?? 0}/${u?.sequence ?? r?.sequence ?? 0}`
    const first = u !== undefined ? this.#seen.get(key) : undefined
    if (first !== undefined) return { ...first, status: ResultStatus.DUPLICATE }
    const logPosition = ++this.#position
    const result: UpdateResult = {
      municipalityCode: item.municipalityCode,
      stream: u?.stream ?? r?.stream ?? 0,
      sequence: u?.sequence ?? r?.sequence ?? 0,
      requestId: u?.requestId ?? r?.requestId ?? '',
      status: r === undefined ? ResultStatus.ACCEPTED : ResultStatus.REJECTED,
      reasonCode: r?.reasonCode ?? '',
      field: r?.field ?? '',
      logPosition,
      entryHash: createHash('sha256').update(`${logPosition}`).digest(),
      expectedSequence: 0,
      payloadSha256: item.payloadSha256
    }
    if (u !== undefined) this.#seen.set(key, result)
    return result
  }
}
