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

/**
 * Walks `bytes` (or a reader's bytes from its position to its end, leaving it at the end) as a `type`
 * message; throws a KEN_REJECT_* error at the first thing it does not expect.
 */
export function checkWire (type: protobuf.Type, bytes: Uint8Array | protobuf.Reader): void {
  walk(type, bytes instanceof protobuf.Reader ? bytes : protobuf.Reader.create(bytes), '', 0)
}

/**
 * One message of `type` from reader.pos to reader.len. A nested message is walked on the same reader
 * with `len` narrowed to its end (no sub-reader, no slice of the bytes: the ingest hot path).
 */
function walk (type: protobuf.Type, reader: protobuf.Reader, path: string, depth: number): void {
  if (depth > MAX_DEPTH) throw reject.KEN_REJECT_MALFORMED('nesting too deep', { field: path })
  // Field numbers 1–31 (all of v1's) in a bit set; a Set only for higher ones and for oneofs.
  let seenLow = 0
  let seenHigh: Set<number> | undefined
  let oneofSeen: Set<string> | undefined
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32()
      const id = tag >>> 3
      const wire = tag & 7
      const field = type.fieldsById[id]
      if (field === undefined) throw reject.KEN_REJECT_UNKNOWN_FIELD(`field number ${id} of ${type.name}`, { field: joinPath(path, `#${id}`) })
      // Field paths are built only for an error or a nested message: valid payloads are the hot path.
      if (!field.repeated) {
        let repeated: boolean
        if (id < 32) {
          repeated = (seenLow & (1 << id)) !== 0
          seenLow |= 1 << id
        } else {
          seenHigh ??= new Set<number>()
          repeated = seenHigh.has(id)
          seenHigh.add(id)
        }
        if (repeated) throw reject.KEN_REJECT_DUPLICATE_FIELD(undefined, { field: joinPath(path, field.name) })
        const oneof = field.partOf
        if (oneof !== null) {
          oneofSeen ??= new Set<string>()
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
  // No closure for the field path here: the valid path is the ingest hot path, and under tsx every
  // closure created is also named by an Object.defineProperty call (esbuild keepNames).
  const resolved = field.resolvedType
  if (resolved instanceof protobuf.Type) {
    if (wire !== LENGTH_DELIMITED) throw reject.KEN_REJECT_MALFORMED('wrong wire type', { field: joinPath(path, field.name) })
    const length = reader.uint32()
    const end = reader.pos + length
    // As protobufjs Reader#bytes: a length past the enclosing message is truncated data (of this level).
    if (end > reader.len) throw new RangeError(`index out of range: ${reader.pos} + ${length} > ${reader.len}`)
    const outer = reader.len
    reader.len = end
    walk(resolved, reader, joinPath(path, field.name), depth + 1)
    reader.len = outer
    return
  }
  if (resolved instanceof protobuf.Enum) {
    if (wire === VARINT) return checkEnum(resolved, reader.int32(), field, path)
    if (wire !== LENGTH_DELIMITED || !field.repeated) throw reject.KEN_REJECT_MALFORMED('wrong wire type', { field: joinPath(path, field.name) })
    for (const v of packedVarints(reader)) checkEnum(resolved, v, field, path)
    return
  }
  const expected = WIRE_OF_SCALAR[field.type]
  if (expected === undefined) throw reject.KEN_REJECT_MALFORMED(`unsupported type ${field.type}`, { field: joinPath(path, field.name) })
  if (wire === expected) {
    reader.skipType(wire)
    return
  }
  if (field.repeated && wire === LENGTH_DELIMITED && expected !== LENGTH_DELIMITED) {
    reader.skipType(wire) // packed repeated scalars
    return
  }
  throw reject.KEN_REJECT_MALFORMED('wrong wire type', { field: joinPath(path, field.name) })
}

function checkEnum (resolved: protobuf.Enum, value: number, field: protobuf.Field, path: string): void {
  if (resolved.valuesById[value] === undefined) throw reject.KEN_REJECT_UNKNOWN_ENUM(`${resolved.name}=${value}`, { field: joinPath(path, field.name) })
}

function packedVarints (reader: protobuf.Reader): number[] {
  const end = reader.uint32() + reader.pos
  const out: number[] = []
  while (reader.pos < end) out.push(reader.int32())
  return out
}

/** Paths of nested messages, built once each: there are only as many as the schema has fields. */
const joined = new Map<string, string>()

/** Field paths name the `.proto` (snake_case) field, as UpdateResult.field documents. */
function joinPath (path: string, name: string): string {
  const key = `${path}\0${name}`
  let out = joined.get(key)
  if (out === undefined) {
    const wire = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    out = path === '' ? wire : `${path}.${wire}`
    // Unknown-field paths (`#id`) come from the input: bounded, so a stream of junk cannot grow it.
    if (joined.size < 4096) joined.set(key, out)
  }
  return out
}
