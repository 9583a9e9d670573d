/**
 * Length-prefixed frames for the store's append socket (store.proto): a 4-byte big-endian length,
 * then that many bytes of one protobuf message. Bounded: a frame above `maxFrame` is an error, so a
 * peer cannot make us buffer without limit.
 */
import { errors } from './errors.ts'

/** Default bound on one frame: generous for a batch of updates, small enough to cap memory. */
export const DEFAULT_MAX_FRAME = 8 * 1024 * 1024

/** Prefix `payload` with its length. */
export function encodeFrame (payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(4 + payload.length)
  out.writeUInt32BE(payload.length, 0)
  out.set(payload, 4)
  return out
}

/** Incremental decoder: feed it socket chunks, it returns every complete frame. */
export class FrameDecoder {
  readonly #maxFrame: number
  #chunks: Buffer[] = []
  #buffered = 0

  constructor (maxFrame = DEFAULT_MAX_FRAME) {
    this.#maxFrame = maxFrame
  }

  /** Bytes held that do not yet make a whole frame. */
  get buffered (): number {
    return this.#buffered
  }

  /**
   * Add a chunk and take out the complete frames.
   * @throws KEN_ERR_FRAME_TOO_LARGE when a length prefix exceeds the bound (the connection should close)
   */
  push (chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    const frames: Buffer[] = []
    while (this.#buffered >= 4) {
      const head = this.#peek(4)
      const length = head.readUInt32BE(0)
      if (length > this.#maxFrame) throw errors.KEN_ERR_FRAME_TOO_LARGE(`${length} > ${this.#maxFrame}`)
      if (this.#buffered < 4 + length) break
      const all = this.#take(4 + length)
      frames.push(all.subarray(4))
    }
    return frames
  }

  #peek (n: number): Buffer {
    const first = this.#chunks[0]
    if (first !== undefined && first.length >= n) return first
    const joined = Buffer.concat(this.#chunks)
    this.#chunks = [joined]
    return joined
  }

  #take (n: number): Buffer {
    const joined = this.#peek(n)
    const out = joined.subarray(0, n)
    const rest = joined.subarray(n)
    this.#chunks = rest.length > 0 ? [rest] : []
    this.#buffered -= n
    return out
  }
}
