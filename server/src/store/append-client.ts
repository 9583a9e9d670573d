/**
 * The gateway's side of the append socket: `AppendClient.connect(path)`, then `append(items)` as
 * often as wanted without waiting — requests are pipelined and answered in order. When the connection
 * drops, every unanswered append rejects with KEN_ERR_STORE_CONNECTION_CLOSED; reconnecting and
 * redelivering is the caller's job (redelivery is safe: the store deduplicates, SPEC §3).
 */
import net from 'node:net'
import protobuf from 'protobufjs'
import { decode } from '../../../proto/src/codec.ts'
import { DEFAULT_MAX_FRAME, encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import { KenError } from '../../../proto/src/ken-error.ts'
import { reject } from '../../../proto/src/reason-codes.ts'
import { messageType } from '../../../proto/src/schema.ts'
import { checkWire } from '../../../proto/src/strict-wire.ts'
import type { ResultStatus, Stream, UpdateResult } from '../../../proto/src/types.ts'
import { encodeAppendRequest, type OutgoingAppendItem } from './append-request.ts'
import { errors } from './errors.ts'

interface Waiting<R> {
  readonly batchId: number
  readonly count: number
  /** Reads the frame that answers this request (decoded or encoded results). */
  read (frame: Buffer): ResponseOf<R>
  resolve (results: R[]): void
  reject (err: Error): void
}

/**
 * One item's UpdateResult as the store encoded it in its AppendResponse, with the fields a forwarder
 * reads; the others are in `bytes` only.
 */
export interface EncodedUpdateResult {
  /** The encoded UpdateResult, exactly as it stood in the store's response. */
  readonly bytes: Buffer
  readonly municipalityCode: string
  readonly stream: Stream
  readonly sequence: number
  readonly status: ResultStatus
  readonly reasonCode: string
}

/** An AppendResponse with its results in the form one caller asked for. */
interface ResponseOf<R> {
  readonly batchId: number
  readonly results: R[]
  readonly errorCode: string
}

const decodeResponse = (frame: Buffer): ResponseOf<UpdateResult> => decode('AppendResponse', frame)

const APPEND_RESPONSE = messageType('AppendResponse')
const UPDATE_RESULT = messageType('UpdateResult')
/** Field numbers from the schema, so the reader follows store.proto and result.proto. */
const RESPONSE_FIELD = fieldIds(APPEND_RESPONSE, ['batchId', 'results', 'errorCode'])
const RESULT_FIELD = fieldIds(UPDATE_RESULT, ['municipalityCode', 'stream', 'sequence', 'status', 'reasonCode'])
/** Varint fields of UpdateResult that can exceed 2^53 on the wire (codec.ts refuses those). */
const RESULT_WIDE = new Set(UPDATE_RESULT.fieldsArray.filter((f) => f.type === 'uint64' || f.type === 'int64').map((f) => f.id))

function fieldIds<K extends string> (type: protobuf.Type, names: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>
  for (const name of names) {
    const field = type.fields[name]
    if (field === undefined) throw new Error(`${type.name} has no field ${name}`)
    out[name] = field.id
  }
  return out
}

/**
 * Read an AppendResponse without building its results: the same fail-closed wire walk as codec.ts
 * `decode` (unknown fields, repeated singular fields, wire types, enum values), the same refusal of
 * integers above 2^53, then each result's bytes sliced out with the fields of EncodedUpdateResult.
 * @throws KenError with a KEN_REJECT_* code, as `decode('AppendResponse', …)` would
 */
export function readEncodedResponse (frame: Buffer): ResponseOf<EncodedUpdateResult> {
  checkWire(APPEND_RESPONSE, frame)
  const reader = protobuf.Reader.create(frame)
  let batchId = 0
  let errorCode = ''
  const results: EncodedUpdateResult[] = []
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    const id = tag >>> 3
    if (id === RESPONSE_FIELD.batchId) batchId = safeInteger(reader.uint64() as unknown as number)
    else if (id === RESPONSE_FIELD.errorCode) errorCode = reader.string()
    else if (id === RESPONSE_FIELD.results) {
      const length = reader.uint32()
      const start = reader.pos
      reader.skip(length)
      results.push(readResult(frame.subarray(start, start + length)))
    } else reader.skipType(tag & 7)
  }
  return { batchId, results, errorCode }
}

/** The fields of one (wire-checked) UpdateResult; absent ones read their proto3 default. */
function readResult (bytes: Buffer): EncodedUpdateResult {
  const reader = protobuf.Reader.create(bytes)
  let municipalityCode = ''
  let stream: Stream = 0
  let sequence = 0
  let status: ResultStatus = 0
  let reasonCode = ''
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    const id = tag >>> 3
    if (id === RESULT_FIELD.municipalityCode) municipalityCode = reader.string()
    else if (id === RESULT_FIELD.reasonCode) reasonCode = reader.string()
    else if (id === RESULT_FIELD.stream) stream = reader.int32() as Stream // a defined value: checkWire refuses others
    else if (id === RESULT_FIELD.status) status = reader.int32() as ResultStatus
    else if (id === RESULT_FIELD.sequence) sequence = safeInteger(reader.uint64() as unknown as number)
    else if (RESULT_WIDE.has(id)) safeInteger(reader.uint64() as unknown as number)
    else reader.skipType(tag & 7)
  }
  return { bytes, municipalityCode, stream, sequence, status, reasonCode }
}

/** schema.ts drops Long: a 64-bit varint reads as a number, possibly above 2^53. */
function safeInteger (value: number): number {
  if (!Number.isSafeInteger(value)) throw reject.KEN_REJECT_MALFORMED('integer above 2^53')
  return value
}

export class AppendClient {
  readonly #socket: net.Socket
  readonly #decoder: FrameDecoder
  readonly #waiting: Array<Waiting<unknown>> = []
  #nextBatchId = 1
  #closed: KenError | undefined

  private constructor (socket: net.Socket, maxFrame: number) {
    this.#socket = socket
    this.#decoder = new FrameDecoder(maxFrame)
    socket.on('data', (chunk: Buffer) => this.#onData(chunk))
    socket.on('error', () => undefined) // 'close' follows and rejects what is waiting
    socket.on('close', () => this.#fail(errors.KEN_ERR_STORE_CONNECTION_CLOSED()))
  }

  /** Connect to the store daemon's append socket. */
  static async connect (socketPath: string, options: { maxFrameBytes?: number } = {}): Promise<AppendClient> {
    const socket = net.connect(socketPath)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => { socket.off('error', reject); resolve() })
      socket.once('error', reject)
    })
    return new AppendClient(socket, options.maxFrameBytes ?? DEFAULT_MAX_FRAME)
  }

  /**
   * Append items; resolves with one UpdateResult per item, in order, once they are durable. An item's
   * `updateBytes` (the payload its `update` was decoded from) are sent in place of re-encoding it.
   * @throws KenError with the store's KEN_ERR_* code when it refused the whole request (nothing committed),
   *   KEN_ERR_STORE_CONNECTION_CLOSED when the connection ended first
   */
  async append (items: readonly OutgoingAppendItem[]): Promise<UpdateResult[]> {
    return await this.#send(items, decodeResponse)
  }

  /**
   * As {@link append}, but each result stays the UpdateResult encoding the store sent, with the few
   * fields a forwarder reads (append-response.ts): the gateway passes the bytes on to the CS. The
   * response is held to the same contract as `append`'s strict decode.
   */
  async appendEncoded (items: readonly OutgoingAppendItem[]): Promise<EncodedUpdateResult[]> {
    return await this.#send(items, readEncodedResponse)
  }

  async #send<R> (items: readonly OutgoingAppendItem[], read: (frame: Buffer) => ResponseOf<R>): Promise<R[]> {
    if (this.#closed !== undefined) throw this.#closed
    const batchId = this.#nextBatchId++
    const frame = encodeFrame(encodeAppendRequest(batchId, items))
    return await new Promise<R[]>((resolve, reject) => {
      const waiting: Waiting<R> = { batchId, count: items.length, read, resolve, reject }
      this.#waiting.push(waiting as Waiting<unknown>)
      this.#socket.write(frame)
    })
  }

  /** Requests sent and not yet answered. */
  get pending (): number {
    return this.#waiting.length
  }

  /** Close the connection; unanswered appends reject. */
  async close (): Promise<void> {
    if (this.#socket.destroyed) return
    await new Promise<void>((resolve) => {
      this.#socket.once('close', () => resolve())
      this.#socket.end()
    })
  }

  #onData (chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.#decoder.push(chunk)
      for (const frame of frames) this.#answer(frame)
    } catch (err) {
      this.#fail(errors.KEN_ERR_STORE_PROTOCOL('undecodable response', { cause: err }))
      this.#socket.destroy()
    }
  }

  #answer (frame: Buffer): void {
    const waiting = this.#waiting[0]
    if (waiting === undefined) throw new Error('response to no request')
    const response = waiting.read(frame)
    if (waiting.batchId !== response.batchId) throw new Error(`response ${response.batchId} out of order`)
    if (response.errorCode === '' && response.results.length !== waiting.count) throw new Error('result count differs from item count')
    this.#waiting.shift()
    if (response.errorCode !== '') waiting.reject(new KenError(response.errorCode, `the store refused the request (${response.errorCode})`))
    else waiting.resolve(response.results)
  }

  #fail (err: KenError): void {
    this.#closed ??= err
    for (const waiting of this.#waiting.splice(0)) waiting.reject(err)
  }
}
