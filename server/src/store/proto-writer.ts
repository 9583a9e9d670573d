/**
 * A protobuf writer for the store's hot encodes (stored-encode.ts) that yields the very bytes
 * protobufjs's generated encoders yield — the encoded LogEntry feeds the chain hash, so one byte of
 * difference would fork the chain (tests/unit/store/stored-encode.test.ts compares the two).
 * protobufjs records one operation object per field and one writer state per nested message and
 * then copies; this writes into one reused scratch buffer and copies once. A nested message's length
 * prefix is reserved as one byte and the body moved when it needs more (rare: bodies over 127 bytes).
 * The rules copied from protobufjs 7 (writer.js, writer_buffer.js, util/longbits.js): a field is
 * written whenever it is not null/undefined, defaults included; int32 writes a negative value as a
 * 10-byte varint; uint64 of a number goes through LongBits.fromNumber; a string under 40 UTF-16 units
 * is written by @protobufjs/utf8 (lone surrogates as 3 bytes of their own), longer ones by Buffer.
 */
import protobuf from 'protobufjs'

const utf8Write = protobuf.util.utf8.write
/** UTF-16 units whose UTF-8 form is surely under 128 bytes (a one-byte length). */
const SHORT_STRING = 42

export class ProtoWriter {
  #buf: Buffer = Buffer.allocUnsafe(4096)
  #pos = 0

  /** Start a message. */
  reset (): this {
    this.#pos = 0
    return this
  }

  /**
   * A copy of what was written (the scratch buffer is reused), in a buffer of its own with `headerBytes`
   * before it and `trailerBytes` after it left for the caller (a frame's length, prev_hash and hash).
   */
  finish (headerBytes = 0, trailerBytes = 0): Buffer {
    const out = Buffer.allocUnsafe(headerBytes + this.#pos + trailerBytes)
    this.#buf.copy(out, headerBytes, 0, this.#pos)
    return out
  }

  /** Bytes written since {@link reset}: where the next field starts. */
  get length (): number {
    return this.#pos
  }

  string (tag: number, value: string | null | undefined): void {
    if (value === null || value === undefined) return
    const units = value.length
    if (units <= SHORT_STRING) {
      // At most 3 bytes per UTF-16 unit, so the length fits the one byte reserved before writing.
      this.#room(6 + 3 * units)
      this.#varint32(tag)
      const at = this.#pos + 1
      const len = units < 40 ? utf8Write(value, this.#buf, at) : this.#buf.write(value, at, 'utf8')
      this.#buf[at - 1] = len
      this.#pos = at + len
      return
    }
    const len = Buffer.byteLength(value)
    this.#room(10 + len)
    this.#varint32(tag)
    this.#varint32(len)
    this.#buf.write(value, this.#pos, len, 'utf8')
    this.#pos += len
  }

  /**
   * A string field whose value is the UTF-8 bytes `src[start, end)` (a field read from a stored
   * message): what {@link string} writes of `src.toString('utf8', start, end)`. Well-formed UTF-8
   * decodes to a string without lone surrogates, which both of protobufjs's encoders write back as the
   * same bytes, so those are copied as they are; anything else (a byte sequence the decoder replaces
   * with U+FFFD) is decoded and written as the string it decodes to.
   */
  utf8 (tag: number, src: Buffer, start: number, end: number): void {
    const len = end - start
    this.#room(10 + len)
    const mark = this.#pos
    this.#varint32(tag)
    this.#varint32(len)
    if (copyUtf8(src, start, end, this.#buf, this.#pos)) {
      this.#pos += len
      return
    }
    this.#pos = mark
    this.string(tag, src.toString('utf8', start, end))
  }

  /** Bytes already encoded (fields written by another ProtoWriter), copied as they are. */
  raw (src: Uint8Array, start: number, end: number): void {
    const len = end - start
    this.#room(len)
    // One native copy through a view (Buffer.copy makes the same view, and more, per call).
    this.#buf.set(new Uint8Array(src.buffer, src.byteOffset + start, len), this.#pos)
    this.#pos += len
  }

  /** Zero what was written since {@link reset} (the scratch buffer held personal data). */
  wipe (): void {
    this.#buf.fill(0, 0, this.#pos)
    this.#pos = 0
  }

  bytes (tag: number, value: Uint8Array | null | undefined): void {
    if (value === null || value === undefined) return
    const len = value.length
    this.#room(10 + len)
    this.#varint32(tag)
    this.#varint32(len)
    this.#buf.set(value, this.#pos)
    this.#pos += len
  }

  /** repeated bytes: one field per element, nothing for an empty list. */
  repeatedBytes (tag: number, values: readonly Uint8Array[] | null | undefined): void {
    if (values === null || values === undefined) return
    for (const value of values) this.bytes(tag, value)
  }

  bool (tag: number, value: boolean | null | undefined): void {
    if (value === null || value === undefined) return
    this.#room(6)
    this.#varint32(tag)
    this.#buf[this.#pos++] = value ? 1 : 0
  }

  uint32 (tag: number, value: number | null | undefined): void {
    if (value === null || value === undefined) return
    this.#room(10)
    this.#varint32(tag)
    this.#varint32(value >>> 0)
  }

  /** int32 and enums. */
  int32 (tag: number, value: number | null | undefined): void {
    if (value === null || value === undefined) return
    if (value >= 0) return this.uint32(tag, value)
    this.#room(15)
    this.#varint32(tag)
    this.#varint64(value)
  }

  uint64 (tag: number, value: number | null | undefined): void {
    if (value === null || value === undefined) return
    this.#room(15)
    this.#varint32(tag)
    this.#varint64(value)
  }

  /** Open a nested message field; returns what {@link end} takes. */
  begin (tag: number): number {
    this.#room(6)
    this.#varint32(tag)
    this.#pos++ // one byte of length, widened by `end` when the body is longer
    return this.#pos
  }

  end (start: number): void {
    const len = this.#pos - start
    if (len < 128) {
      this.#buf[start - 1] = len
      return
    }
    const extra = varint32Size(len) - 1
    this.#room(extra)
    this.#buf.copyWithin(start + extra, start, this.#pos)
    this.#pos = start - 1
    this.#varint32(len)
    this.#pos += len
  }

  #varint32 (value: number): void {
    const buf = this.#buf
    let v = value >>> 0
    while (v > 127) {
      buf[this.#pos++] = (v & 127) | 128
      v >>>= 7
    }
    buf[this.#pos++] = v
  }

  /** As protobufjs's LongBits.fromNumber then writeVarint64. */
  #varint64 (value: number): void {
    let lo = 0
    let hi = 0
    if (value !== 0) {
      const negative = value < 0
      const abs = negative ? -value : value
      lo = abs >>> 0
      hi = ((abs - lo) / 4294967296) >>> 0
      if (negative) {
        hi = ~hi >>> 0
        lo = ~lo >>> 0
        if (++lo > 4294967295) {
          lo = 0
          if (++hi > 4294967295) hi = 0
        }
      }
    }
    const buf = this.#buf
    while (hi !== 0) {
      buf[this.#pos++] = (lo & 127) | 128
      lo = (lo >>> 7 | hi << 25) >>> 0
      hi >>>= 7
    }
    while (lo > 127) {
      buf[this.#pos++] = (lo & 127) | 128
      lo >>>= 7
    }
    buf[this.#pos++] = lo
  }

  #room (bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + bytes))
    this.#buf.copy(grown, 0, 0, this.#pos)
    this.#buf = grown
  }
}

function varint32Size (value: number): number {
  return value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : value < 268435456 ? 4 : 5
}

/**
 * Copy `src[start, end)` to `dst` at `at` if it is well-formed UTF-8 (the Unicode Standard, Table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF, no sequence cut short); false, with `dst`
 * partly written, if not. A byte loop: the fields are a few dozen bytes, shorter than a native call costs.
 */
function copyUtf8 (src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): boolean {
  let i = start
  while (i < end) {
    const b = src[i] as number
    if (b < 0x80) {
      dst[at++] = b
      i++
      continue
    }
    // The bytes after the first (n), and the range of the second (Table 3-7).
    let n: number
    let lo = 0x80
    let hi = 0xbf
    if (b >= 0xe0 && b <= 0xef) { // U+0800–U+FFFF: kana and most kanji
      n = 2
      if (b === 0xe0) lo = 0xa0
      else if (b === 0xed) hi = 0x9f // not the surrogates U+D800–U+DFFF
    } else if (b >= 0xc2 && b <= 0xdf) {
      n = 1
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3
      if (b === 0xf0) lo = 0x90
      else if (b === 0xf4) hi = 0x8f // nothing above U+10FFFF
    } else {
      return false
    }
    if (i + n >= end) return false
    const c1 = src[i + 1] as number
    if (c1 < lo || c1 > hi) return false
    dst[at] = b
    dst[at + 1] = c1
    if (n >= 2) {
      const c2 = src[i + 2] as number
      if ((c2 & 0xc0) !== 0x80) return false
      dst[at + 2] = c2
      if (n === 3) {
        const c3 = src[i + 3] as number
        if ((c3 & 0xc0) !== 0x80) return false
        dst[at + 3] = c3
      }
    }
    at += n + 1
    i += n + 1
  }
  return true
}
