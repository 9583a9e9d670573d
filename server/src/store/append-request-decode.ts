/**
 * The append socket's decode of an AppendRequest in one pass. The codec's strict decode
 * (proto/src/codec.ts `decode`) walks the frame three times — the strict wire check
 * (strict-wire.ts), protobufjs' decode, then `toObject` — and builds every message twice; it was
 * ~5.7 % of the store daemon's main thread (issue 18; bench/results/2026-11-30-session10-daemon5-
 * store-daemon-breakdown.txt). This walk refuses what the wire check refuses and builds the object
 * `decode` returns, key for key: every scalar not on the wire is present with its proto3 default
 * (the store seals those objects, and what `toObject` writes the sealed encoding carries — note-s9),
 * messages and enums as `decode` gives them, bytes as views of the frame.
 *
 * Only the plain cases are handled here. Anything else — a frame the wire check would refuse, a
 * value it would refuse (an unsafe integer, an undefined enum value), an encoding this walk does not
 * read (varints longer than needed, a frame that is not a Buffer) — is handed to the codec's
 * `decode`, which answers it exactly as before (its result, or its KEN_REJECT_* error). So the
 * outcome for every frame is the codec's, only reached faster for the frames a gateway sends.
 * Each message type's walk is compiled from the schema, as protobufjs compiles its own decoders:
 * bench/append-decode.ts, 64-item requests of bench:store's updates, CPU µs per item 4.68 → 1.88
 * (least of 30 alternating rounds; median 7.17 → 2.49).
 */
import protobuf from 'protobufjs'
import { decode } from '../../../proto/src/codec.ts'
import { messageType } from '../../../proto/src/schema.ts'
import type { AppendRequest } from '../../../proto/src/types.ts'

const VARINT = 0
const LENGTH_DELIMITED = 2
/** strict-wire.ts MAX_DEPTH: deeper nesting is the codec's to refuse. */
const MAX_DEPTH = 8

type Kind = 'string' | 'bytes' | 'uint32' | 'bool' | 'uint64' | 'enum' | 'message'

interface FieldPlan {
  readonly name: string
  readonly kind: Kind
  readonly wire: number
  readonly repeated: boolean
  /** Bit of its field number (all fields planned have numbers below 32). */
  readonly bit: number
  /** Bit of its oneof within the message, 0 when it is in none. */
  readonly oneofBit: number
  readonly values: Readonly<Record<number, string>> | undefined
  message: TypePlan | undefined
}

interface TypePlan {
  readonly byId: ReadonlyArray<FieldPlan | undefined>
  /** The message's own decode (compiled by {@link compile} once the plan is complete). */
  decode: MessageDecode
}

type MessageDecode = (w: Walk, end: number, depth: number) => Record<string, unknown>

/** Not a frame this walk decodes: the codec decides. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain()

const SCALAR_KINDS: Readonly<Record<string, Kind>> = { string: 'string', bytes: 'bytes', uint32: 'uint32', bool: 'bool', uint64: 'uint64' }

/** Buffer's own UTF-8 decode, which protobufjs' BufferReader calls (reader_buffer.js read_string_buffer). */
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice: (this: Buffer, start: number, end: number) => string }).utf8Slice

const plans = new Map<protobuf.Type, TypePlan | null>()

/** The plan of a message type, or null when it has a field of a kind this walk does not read. */
function planOf (type: protobuf.Type): TypePlan | null {
  const known = plans.get(type)
  if (known !== undefined) return known
  const byId: Array<FieldPlan | undefined> = []
  const plan: TypePlan = { byId, decode: () => { throw NOT_PLAIN } }
  plans.set(type, plan)
  const fields = type.fieldsArray.slice().sort((a, b) => a.id - b.id)
  const oneofs = type.oneofsArray
  let supported = oneofs.length <= 1 && fields.every((f) => f.id > 0 && f.id < 32 && !f.map)
  const repeated: Array<readonly [string, 'array']> = []
  const normal: Array<readonly [string, Kind | 'null']> = []
  for (const field of supported ? fields : []) {
    field.resolve()
    const resolved = field.resolvedType
    const kind: Kind | undefined = resolved instanceof protobuf.Type ? 'message' : resolved instanceof protobuf.Enum ? 'enum' : SCALAR_KINDS[field.type]
    // A repeated scalar may be packed: left to the codec, as is every kind not listed.
    // A default other than proto3's (an enum whose first value is not 0) is left to the codec too.
    const proto3Default = kind === 'enum' || kind === 'uint32' || kind === 'uint64' ? 0 : kind === 'string' ? '' : kind === 'bool' ? false : field.typeDefault
    if (kind === undefined || (field.repeated && kind !== 'message') || (kind !== 'bytes' && field.typeDefault !== proto3Default)) {
      supported = false
      break
    }
    const f: FieldPlan = {
      name: field.name,
      kind,
      wire: kind === 'string' || kind === 'bytes' || kind === 'message' ? LENGTH_DELIMITED : VARINT,
      repeated: field.repeated,
      bit: 2 ** field.id,
      oneofBit: field.partOf === null ? 0 : 1,
      values: resolved instanceof protobuf.Enum ? resolved.valuesById : undefined,
      message: undefined
    }
    byId[field.id] = f
    if (resolved instanceof protobuf.Type) {
      const nested = planOf(resolved)
      if (nested === null) {
        supported = false
        break
      }
      f.message = nested
    }
    // converter.js toObject: arrays first, then every field outside a oneof with its default
    // (a message's is null); oneof members only when set.
    if (field.repeated) repeated.push([field.name, 'array'])
    else if (field.partOf === null) normal.push([field.name, kind === 'message' ? 'null' : kind])
  }
  if (!supported) {
    plans.set(type, null)
    return null
  }
  plan.decode = compile(type.name, byId, [...repeated, ...normal])
  return plan
}

/**
 * A message's decode as code of its own, as protobufjs compiles its decoders (util.codegen): every
 * key a constant, so each message type has one object shape and V8 stores each field directly. Built
 * from the schema only (field names and numbers); nothing of a frame goes into the code.
 */
function compile (name: string, byId: ReadonlyArray<FieldPlan | undefined>, defaults: ReadonlyArray<readonly [string, Kind | 'array' | 'null']>): MessageDecode {
  const key = (field: string): string => `d[${JSON.stringify(field)}]`
  const initial = defaults.map(([field, kind]) => `${JSON.stringify(field)}: ${kind === 'bytes' ? 'Buffer.alloc(0)' : kind === 'array' ? '[]' : JSON.stringify(kind === 'string' ? '' : kind === 'bool' ? false : kind === 'null' ? null : 0)}`)
  const nested: TypePlan[] = []
  const values: Array<Readonly<Record<number, string>>> = []
  const cases: string[] = []
  byId.forEach((f, id) => {
    if (f === undefined) return
    const once = f.repeated ? '' : `if ((seen & ${f.bit | 0}) !== 0 || (oneof & ${f.oneofBit}) !== 0) throw NOT_PLAIN; seen |= ${f.bit | 0}; oneof |= ${f.oneofBit};`
    let read: string
    switch (f.kind) {
      case 'uint32': read = `${key(f.name)} = w.uint32(end)`; break
      case 'bool': read = `${key(f.name)} = w.uint32(end) !== 0`; break
      case 'uint64': read = `${key(f.name)} = w.uint64(end)`; break
      case 'enum':
        values.push(f.values ?? {})
        // protobufjs reads an enum as int32: a value of 2^31 and above (negative) is the codec's.
        read = `const v = w.uint32(end); if (v > 0x7fffffff || values[${values.length - 1}][v] === undefined) throw NOT_PLAIN; ${key(f.name)} = v`
        break
      default: {
        const span = 'const l = w.uint32(end); const s = w.pos; const e = s + l; if (e > end) throw NOT_PLAIN;'
        // Strings as protobufjs' BufferReader reads them (utf8Slice); bytes as a view of the frame,
        // or a new empty Buffer, as its Reader#bytes gives them.
        if (f.kind === 'string') read = `${span} ${key(f.name)} = utf8Slice.call(w.buf, s, e); w.pos = e`
        else if (f.kind === 'bytes') read = `${span} ${key(f.name)} = l === 0 ? Buffer.alloc(0) : w.buf.subarray(s, e); w.pos = e`
        else {
          nested.push(f.message as TypePlan)
          read = `${span} const v = nested[${nested.length - 1}].decode(w, e, depth + 1); ${f.repeated ? `${key(f.name)}.push(v)` : `${key(f.name)} = v`}`
        }
      }
    }
    cases.push(`case ${id * 8 + f.wire}: { ${once} ${read}; break }`)
  })
  const body = `return function ${name.replace(/\W/g, '')}$walk (w, end, depth) {
    if (depth > ${MAX_DEPTH}) throw NOT_PLAIN
    const d = { ${initial.join(', ')} }
    let seen = 0
    let oneof = 0
    while (w.pos < end) {
      switch (w.uint32(end)) {
        ${cases.join('\n        ')}
        default: throw NOT_PLAIN
      }
    }
    return d
  }`
  return new Function('NOT_PLAIN', 'Buffer', 'utf8Slice', 'nested', 'values', body)(NOT_PLAIN, Buffer, utf8Slice, nested, values) as MessageDecode
}

/** A reader over one frame; every read throws NOT_PLAIN where the codec might read otherwise. */
class Walk {
  pos = 0
  readonly buf: Buffer
  constructor (buf: Buffer) {
    this.buf = buf
  }

  /** A varint of at most 5 bytes whose value fits 32 bits (what protobufjs' uint32 reads alike). */
  uint32 (end: number): number {
    const buf = this.buf
    let pos = this.pos
    if (pos >= end) throw NOT_PLAIN
    let b = buf[pos++] as number
    if (b < 0x80) {
      this.pos = pos
      return b
    }
    let value = b & 0x7f
    for (let shift = 7; shift < 28; shift += 7) {
      if (pos >= end) throw NOT_PLAIN
      b = buf[pos++] as number
      value |= (b & 0x7f) << shift
      if (b < 0x80) {
        this.pos = pos
        return value
      }
    }
    if (pos >= end) throw NOT_PLAIN
    b = buf[pos++] as number
    if (b > 15) throw NOT_PLAIN
    this.pos = pos
    return value + b * 0x10000000
  }

  /** A varint of at most 8 bytes whose value is a safe integer (codec.ts refuses larger ones). */
  uint64 (end: number): number {
    const buf = this.buf
    let value = 0
    let scale = 1
    for (let i = 0; i < 8; i++) {
      if (this.pos >= end) throw NOT_PLAIN
      const b = buf[this.pos++] as number
      value += (b & 0x7f) * scale
      if (b < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) throw NOT_PLAIN
        return value
      }
      scale *= 128
    }
    throw NOT_PLAIN
  }
}

/**
 * Decode an AppendRequest frame as the codec's `decode('AppendRequest', frame)` does: the same
 * object, or the same refusal.
 * @throws KenError with a KEN_REJECT_* code (docs/reason-codes.md), as codec.ts decode
 */
export function decodeAppendRequest (frame: Uint8Array): AppendRequest {
  return decodePlainAppendRequest(frame) ?? decode('AppendRequest', frame)
}

/** This walk alone: the request, or undefined when the frame is the codec's to decide. */
export function decodePlainAppendRequest (frame: Uint8Array): AppendRequest | undefined {
  const plan = planOf(messageType('AppendRequest'))
  if (plan === null || !Buffer.isBuffer(frame)) return undefined
  try {
    return plan.decode(new Walk(frame), frame.length, 0) as unknown as AppendRequest
  } catch (err) {
    if (err instanceof NotPlain) return undefined
    throw err
  }
}
