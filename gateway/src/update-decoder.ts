/**
 * The strict decode of an Update on the ingest hot path: the same checks as proto/src/codec.ts
 * `decode('Update', …)` — the fail-closed wire walk, protobufjs' decode, numbers above 2^53 refused
 * — but the protobufjs message is returned as it is instead of being copied by `toObject` into a
 * plain object. A decoded message reads like that object: set fields are its own, unset scalars
 * read their proto3 default from its prototype (what `toObject({ defaults: true })` fills in), 64-bit
 * integers and enums are numbers (proto/src/schema.ts drops Long), and an unset oneof member reads
 * null where the object has none — validateUpdate reads `identity ?? undefined`.
 */
import protobuf from 'protobufjs'
import { reject } from '../../proto/src/reason-codes.ts'
import { messageType } from '../../proto/src/schema.ts'
import { checkWire } from '../../proto/src/strict-wire.ts'
import type { Update } from '../../proto/src/types.ts'

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

const UPDATE = messageType('Update')
const UPDATE_WIDE = wideFields(UPDATE, 0)

/**
 * Decode `bytes` as an Update, refusing anything the contract does not define.
 * @throws KenError with a KEN_REJECT_* code (docs/reason-codes.md), as codec.ts `decode` would
 */
export function decodeUpdate (bytes: Uint8Array): Update {
  checkWire(UPDATE, bytes)
  let message: protobuf.Message
  try {
    message = UPDATE.decode(bytes)
  } catch (err) {
    throw reject.KEN_REJECT_MALFORMED(undefined, { cause: err })
  }
  checkSafeIntegers(message as unknown as Record<string, unknown>, UPDATE_WIDE, '')
  return message as unknown as Update
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
