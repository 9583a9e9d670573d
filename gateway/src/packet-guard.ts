/**
 * The packet guard: a Duplex between the TLS socket and aedes that reads the MQTT fixed header of
 * every packet as it streams past, before aedes buffers anything. It closes the connection
 *  - when a packet's remaining length says it is bigger than maxPacketBytes — nothing of it past
 *    the header bytes of earlier chunks is passed on, and its payload is never buffered [MQTT-2.2.3];
 *  - when the remaining length is malformed (more than four bytes) [MQTT-2.2.3];
 *  - when the first packet is not CONNECT [MQTT-3.1.0-1], or a second CONNECT comes [MQTT-3.1.0-2];
 *  - on a packet type a client never sends [MQTT-2.2.1];
 *  - when no complete CONNECT arrived within connectTimeoutMs.
 * It also holds each PUBLISH back until {@link PublishPermits} grants it (in-flight cap and rate),
 * and each SUBSCRIBE and UNSUBSCRIBE until the CS's subscription bucket has a token (an
 * authenticated CS could otherwise flood the log with denied subscriptions, issue 16), pausing the
 * socket meanwhile: backpressure, never a drop.
 */
import { Duplex } from 'node:stream'
import type { KenError } from '../../proto/src/ken-error.ts'
import { errors } from './errors.ts'
import type { CsIdentity } from './identity.ts'
import type { PublishPermits, TokenBucket } from './limits.ts'

const CONNECT = 1
const PUBLISH = 3
const SUBSCRIBE = 8
const UNSUBSCRIBE = 10
/** Control packet types a client may send (MQTT 3.1.1 §2.2.1, Table 2.1). */
const CLIENT_TYPES: ReadonlySet<number> = new Set([1, 3, 4, 5, 6, 7, 8, 10, 12, 14])

export interface GuardOptions {
  readonly identity: CsIdentity
  readonly permits: PublishPermits
  /** The CS's bucket for SUBSCRIBE and UNSUBSCRIBE, shared by its successive connections. */
  readonly subscribeBucket: TokenBucket
  readonly maxPacketBytes: number
  readonly connectTimeoutMs: number
  /** Told once why the guard closed the connection. */
  readonly onViolation: (err: KenError) => void
}

/** What the guard learned from CONNECT (set by the broker's preConnect hook). */
export interface ConnectFacts {
  readonly protocolVersion: number
  readonly will: boolean
  /** Seconds; 0 means none. */
  readonly keepalive: number
}

/** The connection aedes sees: the TLS socket, guarded, carrying the CS identity. */
export class GuardedConnection extends Duplex {
  readonly identity: CsIdentity
  readonly permits: PublishPermits
  connectFacts: ConnectFacts | undefined
  readonly #socket: Duplex
  readonly #subscribeBucket: TokenBucket
  #subscribeTimer: NodeJS.Timeout | undefined
  readonly #maxPacket: number
  readonly #onViolation: (err: KenError) => void
  #connectTimer: NodeJS.Timeout | undefined
  // fixed-header parser state
  #packets = 0
  #type = 0
  #lengthBytes = -1 // -1: at the first byte of a packet; 0..4: remaining-length bytes read
  #length = 0
  #multiplier = 1
  #bodyLeft = 0
  // flow state
  #stash: Buffer | undefined
  #granted = false
  #pushPaused = false
  #ended = false

  constructor (socket: Duplex, opts: GuardOptions) {
    super({ allowHalfOpen: false })
    this.#socket = socket
    this.identity = opts.identity
    this.permits = opts.permits
    this.#subscribeBucket = opts.subscribeBucket
    this.#maxPacket = opts.maxPacketBytes
    this.#onViolation = opts.onViolation
    this.#connectTimer = setTimeout(() => this.#violate(errors.KEN_ERR_GW_CONNECT_TIMEOUT(`${opts.connectTimeoutMs} ms`)), opts.connectTimeoutMs)
    socket.on('data', (chunk: Buffer) => {
      // pause() stops the flow, but a chunk already on its way is kept behind the held PUBLISH.
      if (this.#stash !== undefined) this.#stash = Buffer.concat([this.#stash, chunk])
      else this.#scan(chunk)
    })
    socket.on('end', () => {
      this.#ended = true
      if (this.#stash === undefined) this.push(null)
    })
    socket.on('error', (err) => this.destroy(err))
    socket.on('close', () => this.destroy())
    socket.on('drain', () => this.emit('socketDrain'))
  }

  override _read (): void {
    this.#pushPaused = false
    if (this.#stash === undefined) this.#socket.resume()
  }

  override _write (chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.#socket.write(chunk)) cb()
    else this.once('socketDrain', () => cb())
  }

  override _writev (chunks: Array<{ chunk: Buffer }>, cb: (err?: Error | null) => void): void {
    this._write(chunks.length === 1 ? (chunks[0] as { chunk: Buffer }).chunk : Buffer.concat(chunks.map((c) => c.chunk)), 'binary', cb)
  }

  override _final (cb: (err?: Error | null) => void): void {
    this.#socket.end()
    cb()
  }

  override _destroy (err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.#connectTimer !== undefined) clearTimeout(this.#connectTimer)
    if (this.#subscribeTimer !== undefined) clearTimeout(this.#subscribeTimer)
    this.#stash = undefined
    this.permits.cancel()
    this.#socket.destroy()
    this.emit('socketDrain')
    cb(err)
  }

  /**
   * Walk `chunk` packet by packet and pass it on; stop at a PUBLISH without a permit (the rest waits)
   * or at a violation (nothing more is passed on).
   */
  #scan (chunk: Buffer): void {
    if (this.destroyed) return
    let i = 0
    while (i < chunk.length) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, chunk.length - i)
        i += n
        this.#bodyLeft -= n
        if (this.#bodyLeft === 0) this.#packetDone()
        continue
      }
      if (this.#lengthBytes === -1) {
        const type = (chunk[i] as number) >> 4
        const refusal = this.#checkType(type)
        if (refusal !== undefined) return this.#violate(refusal)
        if (!this.#granted && !this.#admit(type)) {
          this.#forward(chunk.subarray(0, i))
          this.#stash = chunk.subarray(i)
          this.#socket.pause()
          return
        }
        this.#granted = false
        this.#type = type
        this.#lengthBytes = 0
        this.#length = 0
        this.#multiplier = 1
        i++
        continue
      }
      const b = chunk[i++] as number
      this.#length += (b & 0x7f) * this.#multiplier
      this.#multiplier *= 128
      this.#lengthBytes++
      if ((b & 0x80) !== 0) {
        if (this.#lengthBytes === 4) return this.#violate(errors.KEN_ERR_GW_MALFORMED_LENGTH())
        continue
      }
      const total = 1 + this.#lengthBytes + this.#length
      // [MQTT-2.2.3]: the size is known from the header; refuse before reading the payload.
      if (total > this.#maxPacket) return this.#violate(errors.KEN_ERR_GW_PACKET_TOO_LARGE(`${total} > ${this.#maxPacket} bytes`))
      this.#bodyLeft = this.#length
      if (this.#bodyLeft === 0) this.#packetDone()
    }
    this.#forward(chunk)
  }

  #checkType (type: number): KenError | undefined {
    if (this.#packets === 0 && type !== CONNECT) return errors.KEN_ERR_GW_FIRST_NOT_CONNECT(`type ${type}`)
    if (this.#packets > 0 && type === CONNECT) return errors.KEN_ERR_GW_SECOND_CONNECT()
    if (!CLIENT_TYPES.has(type)) return errors.KEN_ERR_GW_PACKET_TYPE(`type ${type}`)
    return undefined
  }

  /** Take what a packet of `type` needs to pass now; false when it must wait (#onGranted follows). */
  #admit (type: number): boolean {
    if (type === PUBLISH) return this.permits.take(() => this.#onGranted())
    if (type !== SUBSCRIBE && type !== UNSUBSCRIBE) return true
    if (this.#subscribeBucket.take()) return true
    this.#waitForSubscribeToken()
    return false
  }

  #waitForSubscribeToken (): void {
    this.#subscribeTimer = setTimeout(() => {
      this.#subscribeTimer = undefined
      if (this.destroyed) return
      if (this.#subscribeBucket.take()) this.#onGranted()
      else this.#waitForSubscribeToken()
    }, Math.max(1, this.#subscribeBucket.msUntilToken()))
  }

  #packetDone (): void {
    this.#lengthBytes = -1
    if (this.#packets++ === 0 && this.#type === CONNECT && this.#connectTimer !== undefined) {
      clearTimeout(this.#connectTimer)
      this.#connectTimer = undefined
    }
  }

  #onGranted (): void {
    const stash = this.#stash
    if (stash === undefined || this.destroyed) return
    this.#stash = undefined
    this.#granted = true
    this.#scan(stash)
    if (this.#stash !== undefined) return
    if (this.#ended) this.push(null)
    else if (!this.#pushPaused) this.#socket.resume()
  }

  #forward (bytes: Buffer): void {
    if (bytes.length === 0) return
    if (!this.push(bytes)) {
      this.#pushPaused = true
      this.#socket.pause()
    }
  }

  #violate (err: KenError): void {
    if (this.destroyed) return
    this.#onViolation(err)
    this.destroy()
  }
}
