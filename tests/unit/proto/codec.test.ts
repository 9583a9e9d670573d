import t from 'tap'
import protobuf from 'protobufjs'
import { decode, encode, encodeComplete } from '../../../proto/src/codec.ts'
import { messageType } from '../../../proto/src/schema.ts'
import type { MessageName } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { SAMPLES, chunk, fuhyo, identity, updateWithIdentity } from './samples.ts'

/** Decode, returning the code and field of the refusal, or 'ok'. */
function refusal (name: MessageName, bytes: Uint8Array): { code: string, field: string | undefined } | 'ok' {
  try {
    decode(name, bytes)
    return 'ok'
  } catch (err) {
    if (isKenError(err)) return { code: err.code, field: err.field }
    throw err
  }
}

/** Bytes → plain arrays, so a Buffer from the decoder compares equal to the Uint8Array of a sample. */
function plain (value: unknown): unknown {
  if (value instanceof Uint8Array) return [...value]
  if (Array.isArray(value)) return value.map(plain)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  return value
}

function isDefault (value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true
  if (value instanceof Uint8Array || Array.isArray(value)) return value.length === 0
  return false
}

const entries = Object.entries(SAMPLES) as Array<[MessageName, Array<Record<string, unknown>>]>

t.test('samples set every field of every message (so the round trip covers them all)', async (t) => {
  for (const [name, samples] of entries) {
    for (const field of messageType(name).fieldsArray) {
      const setIn = samples.filter((s) => !isDefault(s[field.name]))
      if (field.partOf === null) t.equal(setIn.length, samples.length, `${name}.${field.name} set in every sample`)
      else t.ok(setIn.length >= 1, `${name}.${field.name} (oneof ${field.partOf.name}) set in some sample`)
    }
  }
})

t.test('round trip: decode(encode(x)) equals x for every message type', async (t) => {
  for (const [name, samples] of entries) {
    for (const [i, sample] of samples.entries()) {
      const decoded = decode(name, encode(name, sample))
      t.same(plain(decoded), plain(sample), `${name} #${i}`)
    }
  }
})

const validUpdate = (): Uint8Array => encode('Update', updateWithIdentity)
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]))
const tag = (id: number, wire: number): number => (id << 3) | wire

t.test('an unknown field number is refused, at the top and nested', async (t) => {
  const top = concat(validUpdate(), protobuf.Writer.create().uint32(tag(99, 0)).uint32(1).finish())
  t.same(refusal('Update', top), { code: 'KEN_REJECT_UNKNOWN_FIELD', field: '#99' })
  const inner = concat(encode('IdentityUpdate', identity), protobuf.Writer.create().uint32(tag(50, 2)).string('x').finish())
  const nested = protobuf.Writer.create().uint32(tag(1, 2)).string('401307').uint32(tag(10, 2)).bytes(inner).finish()
  t.same(refusal('Update', nested), { code: 'KEN_REJECT_UNKNOWN_FIELD', field: 'identity.#50' })
  const reserved = protobuf.Writer.create().uint32(tag(8, 0)).uint32(1).finish()
  t.same(refusal('Update', reserved), { code: 'KEN_REJECT_UNKNOWN_FIELD', field: '#8' }, 'a gap in the numbering is not a field')
})

t.test('an enum value the contract does not define is refused', async (t) => {
  const stream = protobuf.Writer.create().uint32(tag(2, 0)).int32(9).finish()
  t.same(refusal('Update', stream), { code: 'KEN_REJECT_UNKNOWN_ENUM', field: 'stream' })
  const reason = protobuf.Writer.create().uint32(tag(2, 0)).int32(17).finish()
  t.same(refusal('IdentityUpdate', reason), { code: 'KEN_REJECT_UNKNOWN_ENUM', field: 'change_reason' })
  const sex = protobuf.Writer.create().uint32(tag(10, 2)).fork().uint32(tag(8, 0)).int32(3).ldelim().finish()
  t.same(refusal('Update', sex), { code: 'KEN_REJECT_UNKNOWN_ENUM', field: 'identity.sex' })
  const notice = protobuf.Writer.create().uint32(tag(18, 0)).int32(-1).finish()
  t.same(refusal('FuhyoUpdate', notice), { code: 'KEN_REJECT_UNKNOWN_ENUM', field: 'notice' })
})

t.test('a singular field that occurs twice is refused', async (t) => {
  const twice = protobuf.Writer.create().uint32(tag(1, 2)).string('401307').uint32(tag(1, 2)).string('401005').finish()
  t.same(refusal('Update', twice), { code: 'KEN_REJECT_DUPLICATE_FIELD', field: 'municipality_code' })
  const seq = protobuf.Writer.create().uint32(tag(3, 0)).uint64(1).uint32(tag(3, 0)).uint64(2).finish()
  t.same(refusal('Update', seq), { code: 'KEN_REJECT_DUPLICATE_FIELD', field: 'sequence' })
  const body = encode('IdentityUpdate', identity)
  const message = protobuf.Writer.create().uint32(tag(10, 2)).bytes(body).uint32(tag(10, 2)).bytes(body).finish()
  t.same(refusal('Update', message), { code: 'KEN_REJECT_DUPLICATE_FIELD', field: 'identity' }, 'an embedded message twice (would be merged)')
})

t.test('both members of a oneof are refused', async (t) => {
  const both = protobuf.Writer.create()
    .uint32(tag(10, 2)).bytes(encode('IdentityUpdate', identity))
    .uint32(tag(11, 2)).bytes(encode('FuhyoUpdate', fuhyo))
    .finish()
  t.same(refusal('Update', both), { code: 'KEN_REJECT_DUPLICATE_FIELD', field: 'body' })
  const key = protobuf.Writer.create().uint32(tag(3, 2)).string('12345678903').uint32(tag(4, 2)).string('123456789018').finish()
  t.same(refusal('NationalSearchRequest', key), { code: 'KEN_REJECT_DUPLICATE_FIELD', field: 'key' })
})

t.test('repeated fields may repeat', async (t) => {
  t.equal(refusal('ReconcileChunk', encode('ReconcileChunk', chunk)), 'ok')
})

t.test('truncated bytes are refused', async (t) => {
  const bytes = validUpdate()
  t.same(refusal('Update', bytes.subarray(0, bytes.length - 1)), { code: 'KEN_REJECT_MALFORMED', field: '' }, 'cut inside the body (its length prefix overruns)')
  t.same(refusal('Update', bytes.subarray(0, 3)), { code: 'KEN_REJECT_MALFORMED', field: '' }, 'cut inside municipality_code')
  t.same(refusal('Update', Uint8Array.of(0x80)), { code: 'KEN_REJECT_MALFORMED', field: '' }, 'a tag varint never ends')
  // Cutting at a field boundary leaves a shorter valid message; every other cut must be MALFORMED.
  for (let n = 0; n < bytes.length; n++) {
    const r = refusal('Update', bytes.subarray(0, n))
    if (r !== 'ok') t.equal(r.code, 'KEN_REJECT_MALFORMED', `prefix of ${n} bytes`)
  }
})

t.test('a nested message ends where its length says, though more bytes follow', async (t) => {
  // identity = { juminhyo_code: a string whose length runs 3 bytes past the end of identity }, then
  // request_id: the nested walk must stop at identity's end (strict-wire.ts narrows the reader's len)
  // and not read the outer bytes as identity's.
  const overrun = Buffer.concat([Buffer.from([tag(1, 2), 14]), Buffer.from('12345678901')]) // 14 bytes said, 11 there
  const bytes = Buffer.concat([protobuf.Writer.create().uint32(tag(10, 2)).uint32(overrun.length).finish(), overrun, protobuf.Writer.create().uint32(tag(4, 2)).string('REQ').finish()])
  t.same(refusal('Update', bytes), { code: 'KEN_REJECT_MALFORMED', field: 'identity' }, 'the string overruns identity: truncated at its level')
  const unknownAfter = Buffer.concat([protobuf.Writer.create().uint32(tag(10, 2)).uint32(0).finish(), protobuf.Writer.create().uint32(tag(50, 0)).uint32(1).finish()])
  t.same(refusal('Update', unknownAfter), { code: 'KEN_REJECT_UNKNOWN_FIELD', field: '#50' }, 'a field after an empty identity is the outer message\'s')
  const afterIdentity = Buffer.concat([protobuf.Writer.create().uint32(tag(10, 2)).uint32(0).finish(), protobuf.Writer.create().uint32(tag(4, 2)).string('REQ').finish()])
  t.equal(refusal('Update', afterIdentity), 'ok', 'the outer message goes on after the nested one')
})

t.test('a wrong wire type and an integer above 2^53 are refused', async (t) => {
  const wrongWire = protobuf.Writer.create().uint32(tag(1, 0)).uint32(5).finish()
  t.same(refusal('Update', wrongWire), { code: 'KEN_REJECT_MALFORMED', field: 'municipality_code' })
  const big = protobuf.Writer.create().uint32(tag(3, 0)).uint64(2 ** 53 + 2).finish()
  t.same(refusal('Update', big), { code: 'KEN_REJECT_MALFORMED', field: 'sequence' })
})

t.test('encodeComplete of a decoded message gives the bytes encode gives', async (t) => {
  for (const [name, samples] of entries) {
    for (const sample of samples) {
      const bytes = encode(name, sample)
      t.same(Buffer.from(encodeComplete(name, decode(name, bytes))), Buffer.from(bytes), name)
    }
  }
})
