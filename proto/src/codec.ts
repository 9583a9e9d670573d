/**
 * Typed, fail-closed encode/decode of ken.v1 messages. `decode` walks the wire strictly first
 * (strict-wire.ts), then lets protobufjs build the object; 64-bit values above 2^53 are refused.
 */
import type protobuf from 'protobufjs'
import { messageType } from './schema.ts'
import { checkWire } from './strict-wire.ts'
import { reject } from './reason-codes.ts'
import { KenError } from './ken-error.ts'
import type { MessageMap, MessageName } from './types.ts'


const TO_OBJECT: protobuf.IConversionOptions = { defaults: true, arrays: true, longs: Number, enums: Number, bytes: Uint8Array as unknown as protobuf.IConversionOptions['bytes'], oneofs: false }

/**
 * Decode `bytes` as message `name`, refusing anything the contract does not define.
 * Every absent scalar is filled with its proto3 default, so callers see complete objects.
 * @throws KenError with a KEN_REJECT_* code (docs/reason-codes.md)
 */
export function decode<N extends MessageName> (name: N, bytes: Uint8Array): MessageMap[N] {
  const type = messageType(name)
  checkWire(type, bytes)
  let message: protobuf.Message
  try {
    message = type.decode(bytes)
  } catch (err) {
    throw reject.KEN_REJECT_MALFORMED(undefined, { cause: err })
  }
  const obj = type.toObject(message, TO_OBJECT)
  if (hasUnsafeInteger(obj)) checkSafeIntegers(obj, '')
  return obj as MessageMap[N]
}

/** Encode a (possibly partial) message; fields left out take their proto3 defaults. */
export function encode<N extends MessageName> (name: N, value: Partial<MessageMap[N]>): Uint8Array {
  const type = messageType(name)
  const problem = type.verify(value as Record<string, unknown>)
  if (problem !== null) throw new KenError('KEN_ERR_PROTO_ENCODE', `cannot encode ${name}: ${problem}`)
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish()
}

/** The hot path's check: no field path is built unless there is something to report. */
function hasUnsafeInteger (value: unknown): boolean {
  if (typeof value === 'number') return !Number.isSafeInteger(value) && Number.isInteger(value)
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false
  if (Array.isArray(value)) {
    for (const v of value) if (hasUnsafeInteger(v)) return true
    return false
  }
  for (const k in value) if (hasUnsafeInteger((value as Record<string, unknown>)[k])) return true
  return false
}

/** @throws KEN_REJECT_MALFORMED naming the first field above 2^53 */
/**
 * Encode a complete message typed exactly as {@link decode} returns it (numbers for enums and 64-bit
 * integers, Uint8Array for bytes): a decoded message passed on, or one the caller built with those
 * types (the store's answers). Skips `encode`'s verify/fromObject pass, which costs more than the
 * encoding itself on the ingest path; TypeScript holds the types, and the receiver decodes strictly.
 */
export function encodeComplete<N extends MessageName> (name: N, value: MessageMap[N]): Uint8Array {
  return messageType(name).encode(value).finish()
}

function checkSafeIntegers (value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) && Number.isInteger(value)) throw reject.KEN_REJECT_MALFORMED('integer above 2^53', { field: path })
    return
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return
  for (const [k, v] of Object.entries(value)) checkSafeIntegers(v, path === '' ? k : `${path}.${k}`)
}
