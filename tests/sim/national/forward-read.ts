/**
 * A forward as the national side takes it (national.proto NationalForward, NationalFuhyoForward,
 * NationalForwardBatch): the bytes as they came, and only what the in-order check and the national
 * file's keys need — its log position, its predecessor's, and for an identity forward the 住民票コード
 * and 個人番号. protobufjs's decode of every forward into an object (12+ strings), and its encode back
 * for the store, were ~34 % of the simulator's CPU (issue 18: it shares the bench's two cores with
 * the appliance; bench/national-forward.ts).
 *
 * As strict as codec.ts' decode: the whole payload is walked first by strict-wire.ts (unknown field,
 * wrong wire type, repeated singular field, two members of a oneof, undefined enum value, truncated
 * data), and a 64-bit value above 2^53 is refused — KEN_REJECT_* either way, and the PUBLISH is refused.
 */
import protobuf from 'protobufjs/minimal.js'
import { messageType } from '../../../proto/src/schema.ts'
import { checkWire } from '../../../proto/src/strict-wire.ts'
import { reject } from '../../../proto/src/reason-codes.ts'

/** One forward received, its message kept as the bytes that came (a view of the PUBLISH payload). */
export interface ReceivedForward {
  readonly kind: 'identity' | 'fuhyo'
  /** log_position (field 1 of both kinds). */
  readonly position: number
  /** previous_position (NationalForward 17, NationalFuhyoForward 5). */
  readonly previous: number
  /** NationalForward juminhyo_code (5) and kojin_bango (11); '' for a 附票 forward. */
  readonly juminhyoCode: string
  readonly kojinBango: string
  readonly bytes: Buffer
}

const EMPTY: Buffer = Buffer.alloc(0)
const reader = protobuf.Reader.create(EMPTY)
const forwardReader = protobuf.Reader.create(EMPTY)

/** A forward published alone (…/forward, …/fuhyo/forward). @throws KenError KEN_REJECT_* */
export function readForward (kind: ReceivedForward['kind'], bytes: Buffer): ReceivedForward {
  checkWire(messageType(kind === 'identity' ? 'NationalForward' : 'NationalFuhyoForward'), bytes)
  return fields(kind, bytes)
}

/**
 * The elements of a NationalForwardBatch in order; an element with neither member of its oneof is
 * undefined (the simulator refuses it as a gap, as before). @throws KenError KEN_REJECT_*
 */
export function readForwardBatch (payload: Buffer): Array<ReceivedForward | undefined> {
  checkWire(messageType('NationalForwardBatch'), payload)
  // The walk above has vouched for every tag, wire type and length: here the bytes are only sliced.
  reader.buf = payload
  reader.pos = 0
  reader.len = payload.length
  try {
    const items: Array<ReceivedForward | undefined> = []
    while (reader.pos < payload.length) {
      reader.uint32() // NationalForwardBatch.items = 1, the only field
      const end = reader.uint32() + reader.pos
      let item: ReceivedForward | undefined
      while (reader.pos < end) {
        const tag = reader.uint32() // NationalBatchItem: identity = 1 | fuhyo = 2
        const length = reader.uint32()
        item = fields(tag >>> 3 === 1 ? 'identity' : 'fuhyo', payload.subarray(reader.pos, reader.pos + length))
        reader.pos += length
      }
      items.push(item)
    }
    return items
  } finally {
    reader.buf = EMPTY
    reader.len = 0
  }
}

function fields (kind: ReceivedForward['kind'], bytes: Buffer): ReceivedForward {
  const previousField = kind === 'identity' ? 17 : 5
  let position = 0
  let previous = 0
  let juminhyoCode = ''
  let kojinBango = ''
  forwardReader.buf = bytes
  forwardReader.pos = 0
  forwardReader.len = bytes.length
  try {
    while (forwardReader.pos < bytes.length) {
      const tag = forwardReader.uint32()
      const field = tag >>> 3
      if (field === 1) position = safe(forwardReader.uint64(), 'log_position')
      else if (field === previousField) previous = safe(forwardReader.uint64(), 'previous_position')
      else if (kind === 'identity' && field === 5) juminhyoCode = forwardReader.string()
      else if (kind === 'identity' && field === 11) kojinBango = forwardReader.string()
      else forwardReader.skipType(tag & 7)
    }
  } finally {
    forwardReader.buf = EMPTY
    forwardReader.len = 0
  }
  return { kind, position, previous, juminhyoCode, kojinBango, bytes }
}

/** A uint64 as a number, refused above 2^53 as codec.ts refuses it (protobufjs gives a Long where `long` is installed). */
function safe (v: unknown, field: string): number {
  const n = typeof v === 'number' ? v : (v as { toNumber: () => number }).toNumber()
  if (!Number.isSafeInteger(n)) throw reject.KEN_REJECT_MALFORMED('integer above 2^53', { field })
  return n
}
