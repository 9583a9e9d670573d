/**
 * A fail-closed walk over protobuf wire format (protobuf encoding spec, "Message Structure"):
 * protobufjs skips unknown fields silently, so before decoding we walk every tag and refuse
 * unknown field numbers, wrong wire types, repeated singular fields, two members of one oneof,
 * and enum values the contract does not define (SPEC §3: unknown fields are rejected).
 */
import protobuf from 'protobufjs'
import { reject } from './reason-codes.ts'

const VARINT = 0
const FIXED64 = 1
const LENGTH_DELIMITED = 2
const FIXED32 = 5

const WIRE_OF_SCALAR: Readonly<Record<string, number>> = {
  double: FIXED64, fixed64: FIXED64, sfixed64: FIXED64,
  float: FIXED32, fixed32: FIXED32, sfixed32: FIXED32,
  int32: VARINT, int64: VARINT, uint32: VARINT, uint64: VARINT, sint32: VARINT, sint64: VARINT, bool: VARINT,
  string: LENGTH_DELIMITED, bytes: LENGTH_DELIMITED
}

const MAX_DEPTH = 8

/** Walks `bytes` as a `type` message; throws a KEN_REJECT_* error at the first thing it does not expect. */
export function checkWire (type: protobuf.Type, bytes: Uint8Array, path = '', depth = 0): void {
  if (depth > MAX_DEPTH) throw reject.KEN_REJECT_MALFORMED('nesting too deep', { field: path })
  const reader = protobuf.Reader.create(bytes)
  const seen = new Set<number>()
  const oneofSeen = new Set<string>()
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      const id = tag >>> 3
      const wire = tag & 7
      const field = type.fieldsById[id]
      if (field === undefined) throw reject.KEN_REJECT_UNKNOWN_FIELD(`field number ${id} of ${type.name}`, { field: joinPath(path, `#${id}`) })
      // Field paths are built only for an error or a nested message: valid payloads are the hot path.
      if (!field.repeated) {
        if (seen.has(id)) throw reject.KEN_REJECT_DUPLICATE_FIELD(undefined, { field: joinPath(path, field.name) })
        seen.add(id)
        const oneof = field.partOf
        if (oneof !== null) {
          if (oneofSeen.has(oneof.name)) throw reject.KEN_REJECT_DUPLICATE_FIELD(`oneof ${oneof.name}`, { field: joinPath(path, oneof.name) })
          oneofSeen.add(oneof.name)
        }
      }
      checkValue(field, wire, reader, path, depth)
    }
  } catch (err) {
    if (err instanceof RangeError || (err instanceof Error && !('code' in err))) {
      throw reject.KEN_REJECT_MALFORMED('truncated or invalid wire data', { field: path, cause: err })
    }
    throw err
  }
}

function checkValue (field: protobuf.Field, wire: number, reader: protobuf.Reader, path: string, depth: number): void {
  const name = (): string => joinPath(path, field.name)
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Type) {
    if (wire !== LENGTH_DELIMITED) throw reject.KEN_REJECT_MALFORMED('wrong wire type', { field: name() })
    checkWire(resolved, reader.bytes(), name(), depth + 1)
    return
  }
  if (resolved instanceof protobuf.Enum) {
    const values = wire === LENGTH_DELIMITED && field.repeated ? packedVarints(reader) : wire === VARINT ? [reader.int32()] : null
    if (values === null) throw reject.KEN_REJECT_MALFORMED('wrong wire type', { field: name() })
    for (const v of values) {
      if (resolved.valuesById[v] === undefined) throw reject.KEN_REJECT_UNKNOWN_ENUM(`${resolved.name}=${v}`, { field: name() })
    }
    return
  }
  const expected = WIRE_OF_SCALAR[field.type]
  if (expected === undefined) throw reject.KEN_REJECT_MALFORMED(`unsupported type ${field.type}`, { field: name() })
  if (wire === expected) {
    reader.skipType(wire)
    return
  }
  if (field.repeated && wire === LENGTH_DELIMITED && expected !== LENGTH_DELIMITED) {
    reader.skipType(wire) // packed repeated scalars
    return
  }
  throw reject.KEN_REJECT_MALFORMED('wrong wire type', { field: name() })
}

function packedVarints (reader: protobuf.Reader): number[] {
  const end = reader.uint32() + reader.pos
  const out: number[] = []
  while (reader.pos < end) out.push(reader.int32())
  return out
}

/** Field paths name the `.proto` (snake_case) field, as UpdateResult.field documents. */
function joinPath (path: string, name: string): string {
  const wire = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  return path === '' ? wire : `${path}.${wire}`
}
