/**
 * Typed, fail-closed encode/decode of ken.v1 messages. Decoding walks the wire strictly first
 * (strict-wire.ts), then lets protobufjs build the message; 64-bit values above 2^53 are refused.
 */
import protobuf from 'protobufjs'
import { messageType } from './schema.ts'
import { checkWire } from './strict-wire.ts'
import { reject } from './reason-codes.ts'
import { KenError } from './ken-error.ts'
import type { MessageMap, MessageName } from './types.ts'


const TO_OBJECT: protobuf.IConversionOptions = { defaults: true, arrays: true, longs: Number, enums: Number, bytes: Uint8Array as unknown as protobuf.IConversionOptions['bytes'], oneofs: false }

/**
 * Decode `bytes` as message `name`, refusing anything the contract does not define, and return the
 * protobufjs message itself (the ingest hot path: no `toObject` copy). It reads like {@link decode}'s
 * object: set fields are its own, unset scalars read their proto3 default from its prototype, 64-bit
 * integers and enums are numbers (schema.ts drops Long), and an unset message or oneof member reads null.
 * @throws KenError with a KEN_REJECT_* code (docs/reason-codes.md)
 */
export function decodeMessage<N extends MessageName> (name: N, bytes: Uint8Array): MessageMap[N] {
  const type = messageType(name)
  // One reader for the strict walk and then the decode.
  const reader = protobuf.Reader.create(bytes)
  checkWire(type, reader)
  reader.pos = 0
  let message: protobuf.Message
  try {
    message = type.decode(reader)
  } catch (err) {
    throw reject.KEN_REJECT_MALFORMED(undefined, { cause: err })
  }
  checkSafeIntegers(message as unknown as Record<string, unknown>, wideFieldsOf(type), '')
  return message as unknown as MessageMap[N]
}

/**
 * Decode `bytes` as message `name`, refusing anything the contract does not define.
 * Every absent scalar is filled with its proto3 default, so callers see complete objects.
 * @throws KenError with a KEN_REJECT_* code (docs/reason-codes.md)
 */
export function decode<N extends MessageName> (name: N, bytes: Uint8Array): MessageMap[N] {
  const message = decodeMessage(name, bytes) as unknown as protobuf.Message
  return messageType(name).toObject(message, TO_OBJECT) as MessageMap[N]
}

/** Encode a (possibly partial) message; fields left out take their proto3 defaults. */
export function encode<N extends MessageName> (name: N, value: Partial<MessageMap[N]>): Uint8Array {
  const type = messageType(name)
  const problem = type.verify(value as Record<string, unknown>)
  if (problem !== null) throw new KenError('KEN_ERR_PROTO_ENCODE', `cannot encode ${name}: ${problem}`)
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish()
}

/**
 * Encode a complete message typed exactly as {@link decode} returns it (numbers for enums and 64-bit
 * integers, Uint8Array for bytes): a decoded message passed on, or one the caller built with those
 * types (the store's answers). Skips `encode`'s verify/fromObject pass, which costs more than the
 * encoding itself on the ingest path; TypeScript holds the types, and the receiver decodes strictly.
 */
export function encodeComplete<N extends MessageName> (name: N, value: MessageMap[N]): Uint8Array {
  return messageType(name).encode(value).finish()
}

/** Wide fields by message type, computed once per type. */
const WIDE_FIELDS = new Map<protobuf.Type, readonly WideField[]>()

function wideFieldsOf (type: protobuf.Type): readonly WideField[] {
  let fields = WIDE_FIELDS.get(type)
  if (fields === undefined) {
    fields = wideFields(type, 0)
    WIDE_FIELDS.set(type, fields)
  }
  return fields
}

/** Field types whose decoded number can exceed 2^53 (codec.ts refuses those; uint32 and below cannot). */
const WIDE = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64', 'double', 'float'])

/** A message field that may hold an unsafe integer: directly, or inside the message it holds. */
interface WideField {
  /** Its key in the decoded message (and in codec.ts' object). */
  readonly name: string
  readonly repeated: boolean
  /** Set for a message field: its own wide fields. */
  readonly nested?: readonly WideField[]
}

/** The fields of `type` to check, computed once from the schema (so a new 64-bit field is covered). */
function wideFields (type: protobuf.Type, depth: number): WideField[] {
  const out: WideField[] = []
  if (depth > 8) return out
  for (const field of type.fieldsArray) {
    const resolved = field.resolvedType
    const repeated = field.repeated || field.map
    if (resolved instanceof protobuf.Type) {
      const nested = wideFields(resolved, depth + 1)
      if (nested.length > 0) out.push({ name: field.name, repeated, nested })
    } else if (WIDE.has(field.type)) {
      out.push({ name: field.name, repeated })
    }
  }
  return out
}

/** @throws KEN_REJECT_MALFORMED naming the first field (in field order) above 2^53, as codec.ts does */
function checkSafeIntegers (message: Record<string, unknown>, fields: readonly WideField[], path: string): void {
  for (const f of fields) {
    const value = message[f.name]
    if (value === null || value === undefined) continue
    if (!f.repeated) {
      checkValue(value, f, path, f.name)
      continue
    }
    for (const [key, v] of Object.entries(value as object)) checkValue(v, f, join(path, f.name), key)
  }
}

function checkValue (value: unknown, f: WideField, path: string, key: string): void {
  if (f.nested !== undefined) {
    if (value !== null && typeof value === 'object') checkSafeIntegers(value as Record<string, unknown>, f.nested, join(path, key))
  } else if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value)) {
    throw reject.KEN_REJECT_MALFORMED('integer above 2^53', { field: join(path, key) })
  }
}

function join (path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}
