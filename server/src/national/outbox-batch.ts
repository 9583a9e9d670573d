/**
 * An outbox read as ken-national carries it: each forward kept as the bytes the store encoded
 * (outbox.proto OutboxItem.identity / .fuhyo, a NationalForward or NationalFuhyoForward), and the
 * national PUBLISH written around those bytes (national.proto NationalForwardBatch) — the same bytes
 * protobufjs would write from the decoded messages, without decoding them. protobufjs's decode of every
 * forward into an object, and its encode back, were ~40 % of ken-national's CPU per forward (issue 18:
 * bench/national-forward.ts, CPU profile in bench/results/2026-12-01-session15-lead-ab.txt).
 *
 * What ken-national needs of a forward it still reads: its kind, its log position (the order, the
 * acknowledgement) and when it was committed (the lag's age). The rest goes on unread: the store wrote
 * it (outbox-encode.ts, tested against protobufjs) and the national side decodes and checks it. The
 * batch's own fields are read strictly: an unknown field or wire type, a field past its message, or a
 * forward without a position is KEN_ERR_NATIONAL_OUTBOX_PROTOCOL, and the client drops the socket.
 */
import protobuf from 'protobufjs/minimal.js'
import { decode } from '../../../proto/src/codec.ts'
import type { NationalForward, NationalFuhyoForward, OutboxMessage } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { errors } from './errors.ts'

/** One forward of an outbox read. */
export interface OutboxForward {
  readonly kind: 'identity' | 'fuhyo'
  /** NationalForward.log_position / NationalFuhyoForward.log_position (field 1 of both). */
  readonly position: number
  /** OutboxItem.recorded_at: when the entry was committed, ISO 8601 UTC. */
  readonly recordedAt: string
  /** The forward's message as the store encoded it (a view of the frame). */
  readonly bytes: Buffer
}

/** OutboxBatch with its items as {@link OutboxForward}. */
export interface OutboxBatchRead {
  readonly items: OutboxForward[]
  readonly scannedTo: number
  readonly head: number
  readonly confirmed: number
  readonly errorCode: string
}

/** An OutboxMessage: a read's batch, or anything else decoded by protobufjs (confirmed, query). */
export type OutboxMessageRead = { readonly batch: OutboxBatchRead } | { readonly batch?: undefined, readonly other: OutboxMessage }

const VARINT = 0
const LENGTH_DELIMITED = 2
/** OutboxMessage.batch (outbox.proto). */
const MESSAGE_BATCH = 8
const EMPTY: Buffer = Buffer.alloc(0)
const reader = protobuf.Reader.create(EMPTY)
const forwardReader = protobuf.Reader.create(EMPTY)

/** Read an OutboxMessage frame. @throws KEN_ERR_NATIONAL_OUTBOX_PROTOCOL */
export function readOutboxMessage (frame: Buffer): OutboxMessageRead {
  reader.buf = frame
  reader.pos = 0
  reader.len = frame.length
  try {
    let batch: OutboxBatchRead | undefined
    while (reader.pos < frame.length) {
      const tag = reader.uint32()
      // oneof message: the batch is read here; a frame with anything else goes to protobufjs whole.
      if (tag >>> 3 !== MESSAGE_BATCH || (tag & 7) !== LENGTH_DELIMITED) return { other: decode('OutboxMessage', frame) }
      const start = delimited(frame.length)
      batch = readBatch(frame, start, reader.pos)
    }
    if (batch === undefined) throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
    return { batch }
  } catch (err) {
    if (isKenError(err)) throw err
    throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL('a batch does not decode', { cause: err })
  } finally {
    reader.buf = EMPTY
    reader.len = 0
  }
}

/** OutboxBatch: items = 1, scanned_to = 2, head = 3, confirmed = 4, error_code = 5. */
function readBatch (frame: Buffer, start: number, end: number): OutboxBatchRead {
  reader.pos = start
  const items: OutboxForward[] = []
  let scannedTo = 0
  let head = 0
  let confirmed = 0
  let errorCode = ''
  while (reader.pos < end) {
    const tag = reader.uint32()
    const field = tag >>> 3
    const wire = tag & 7
    if (field === 1 && wire === LENGTH_DELIMITED) {
      const s = delimited(end)
      const itemEnd = reader.pos
      items.push(readItem(frame, s, itemEnd))
      reader.pos = itemEnd
    } else if (field >= 2 && field <= 4 && wire === VARINT) {
      const value = uint64(end)
      if (field === 2) scannedTo = value
      else if (field === 3) head = value
      else confirmed = value
    } else if (field === 5 && wire === LENGTH_DELIMITED) {
      const s = delimited(end)
      errorCode = frame.toString('utf8', s, reader.pos)
    } else {
      throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
    }
  }
  return { items, scannedTo, head, confirmed, errorCode }
}

/** OutboxItem: recorded_at = 1, identity = 2, fuhyo = 3 (oneof forward). */
function readItem (frame: Buffer, start: number, end: number): OutboxForward {
  reader.pos = start
  let recordedAt = ''
  let kind: OutboxForward['kind'] | undefined
  let bytes: Buffer = EMPTY
  while (reader.pos < end) {
    const tag = reader.uint32()
    const field = tag >>> 3
    if ((tag & 7) !== LENGTH_DELIMITED || field < 1 || field > 3) throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
    const s = delimited(end)
    if (field === 1) {
      recordedAt = frame.toString('utf8', s, reader.pos)
    } else {
      kind = field === 2 ? 'identity' : 'fuhyo'
      bytes = frame.subarray(s, reader.pos)
    }
  }
  if (kind === undefined) throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
  return { kind, position: forwardPosition(bytes), recordedAt, bytes }
}

/** Field 1 (log_position, uint64) of a NationalForward or NationalFuhyoForward; other fields skipped. */
function forwardPosition (bytes: Buffer): number {
  // Its own reader: the batch's reader stays where the item ends.
  forwardReader.buf = bytes
  forwardReader.pos = 0
  forwardReader.len = bytes.length
  let position = 0
  try {
    while (forwardReader.pos < bytes.length) {
      const tag = forwardReader.uint32()
      if (tag >>> 3 === 1 && (tag & 7) === VARINT) position = toNumber(forwardReader.uint64())
      else forwardReader.skipType(tag & 7) // past the bytes: protobufjs's RangeError, refused below
    }
  } finally {
    forwardReader.buf = EMPTY
    forwardReader.len = 0
  }
  if (!Number.isSafeInteger(position) || position < 1) throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
  return position
}

/** A uint64 as a number (log positions stay far below 2^53). */
function uint64 (end: number): number {
  const value = toNumber(reader.uint64())
  checked(reader.pos, end)
  return value
}

/** protobufjs gives a uint64 as a Long where the long package is installed, else as a number. */
function toNumber (v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber: () => number }).toNumber()
}

/** A length-delimited field's first byte; the reader moves past it, which must end within `end`. */
function delimited (end: number): number {
  const length = reader.uint32()
  const start = reader.pos
  reader.pos = checked(start + length, end)
  return start
}

function checked (to: number, end: number): number {
  if (to > end) throw errors.KEN_ERR_NATIONAL_OUTBOX_PROTOCOL()
  return to
}

/**
 * NationalForwardBatch { repeated NationalBatchItem items = 1 }, NationalBatchItem { identity = 1 |
 * fuhyo = 2 } around each forward's bytes: what protobufjs writes for the same messages (the test
 * compares them).
 */
export function encodeNationalForwardBatch (items: readonly OutboxForward[]): Uint8Array {
  const w = protobuf.Writer.create()
  for (const f of items) w.uint32((1 << 3) | LENGTH_DELIMITED).fork().uint32(((f.kind === 'identity' ? 1 : 2) << 3) | LENGTH_DELIMITED).bytes(f.bytes).ldelim()
  return w.finish()
}

/** The forward decoded (tests, and whoever must look inside one). */
export function decodeOutboxForward (f: OutboxForward): { readonly identity?: NationalForward, readonly fuhyo?: NationalFuhyoForward } {
  return f.kind === 'identity' ? { identity: decode('NationalForward', f.bytes) } : { fuhyo: decode('NationalFuhyoForward', f.bytes) }
}
