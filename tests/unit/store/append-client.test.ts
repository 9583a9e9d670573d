// The gateway reads the store's AppendResponse without decoding its results (append-client.ts
// readEncodedResponse): it must refuse what codec.ts' strict decode refuses, read the same fields,
// and hand on each result's bytes exactly as they stood in the response.
import t from 'tap'
import { isDeepStrictEqual } from 'node:util'
import { decode, encode } from '../../../proto/src/codec.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { ResultStatus, Stream, type AppendResponse, type UpdateResult } from '../../../proto/src/types.ts'
import { readEncodedResponse } from '../../../server/src/store/append-client.ts'

const accepted: UpdateResult = {
  municipalityCode: '401307',
  stream: Stream.NORMAL,
  sequence: 42,
  requestId: 'REQ-0042',
  status: ResultStatus.ACCEPTED,
  reasonCode: '',
  field: '',
  logPosition: 7,
  entryHash: new Uint8Array(32).fill(1),
  expectedSequence: 0,
  payloadSha256: new Uint8Array(32).fill(2)
}
const rejected: UpdateResult = { ...accepted, stream: Stream.ABNORMAL, sequence: Number.MAX_SAFE_INTEGER, status: ResultStatus.REJECTED, reasonCode: 'KEN_REJECT_SEQUENCE_GAP', field: 'sequence', expectedSequence: 3 }
/** Every field at its proto3 default: nothing of it on the wire. */
const empty: UpdateResult = { municipalityCode: '', stream: Stream.UNSPECIFIED, sequence: 0, requestId: '', status: ResultStatus.UNSPECIFIED, reasonCode: '', field: '', logPosition: 0, entryHash: new Uint8Array(0), expectedSequence: 0, payloadSha256: new Uint8Array(0) }

type Outcome = { code: string } | { ok: AppendResponse }

/** Both readers' outcome in one shape: the encoded results decoded, to compare with codec.ts. */
function mine (frame: Buffer): Outcome {
  try {
    const r = readEncodedResponse(frame)
    for (const x of r.results) {
      const full = decode('UpdateResult', x.bytes)
      const read = { municipalityCode: x.municipalityCode, stream: x.stream, sequence: x.sequence, status: x.status, reasonCode: x.reasonCode }
      const expected = { municipalityCode: full.municipalityCode, stream: full.stream, sequence: full.sequence, status: full.status, reasonCode: full.reasonCode }
      if (JSON.stringify(read) !== JSON.stringify(expected)) throw new Error(`fields read ${JSON.stringify(read)} differ from ${JSON.stringify(expected)}`)
    }
    return { ok: { batchId: r.batchId, results: r.results.map((x) => decode('UpdateResult', x.bytes)), errorCode: r.errorCode } }
  } catch (err) {
    if (!isKenError(err)) throw err
    return { code: err.code }
  }
}

function theirs (frame: Buffer): Outcome {
  try {
    return { ok: decode('AppendResponse', frame) }
  } catch (err) {
    if (!isKenError(err)) throw err
    return { code: err.code }
  }
}

const frameOf = (r: Partial<AppendResponse>): Buffer => Buffer.from(encode('AppendResponse', r))

t.test('the fields and the results read as codec.ts decodes them', async (t) => {
  const cases: Array<[string, Partial<AppendResponse>]> = [
    ['results', { batchId: 9, results: [accepted, rejected, empty] }],
    ['a refused request', { batchId: 10, errorCode: 'KEN_ERR_STORE_INVALID_ITEM' }],
    ['no results', { batchId: 11 }],
    ['nothing at all', {}]
  ]
  for (const [name, response] of cases) {
    const frame = frameOf(response)
    t.same(mine(frame), theirs(frame), name)
  }
  const read = readEncodedResponse(frameOf({ batchId: 9, results: [accepted, rejected] }))
  t.match(read.results[1], { municipalityCode: '401307', stream: Stream.ABNORMAL, sequence: Number.MAX_SAFE_INTEGER, status: ResultStatus.REJECTED, reasonCode: 'KEN_REJECT_SEQUENCE_GAP' })
})

t.test('a result\'s bytes are handed on as the store wrote them, whatever their field order', async (t) => {
  // status (5) before municipality_code (1): re-encoding the decoded result would reorder them.
  const { status: _, ...rest } = accepted
  const reordered = Buffer.concat([Buffer.from([0x28, ResultStatus.DUPLICATE]), Buffer.from(encode('UpdateResult', rest))])
  const frame = Buffer.concat([Buffer.from(encode('AppendResponse', { batchId: 3 })), Buffer.from([0x12, reordered.length]), reordered])
  const read = readEncodedResponse(frame)
  t.equal(read.results.length, 1)
  t.ok(read.results[0]?.bytes.equals(reordered))
  t.equal(read.results[0]?.status, ResultStatus.DUPLICATE)
  t.equal(read.results[0]?.municipalityCode, '401307')
})

t.test('refused as codec.ts refuses: unknown fields and enum values, repeats, integers above 2^53, truncation', async (t) => {
  const head = frameOf({ batchId: 5 })
  const result = (extra: number[]): Buffer => {
    const bytes = Buffer.concat([Buffer.from(encode('UpdateResult', accepted)), Buffer.from(extra)])
    return Buffer.concat([head, Buffer.from([0x12, bytes.length]), bytes])
  }
  const { sequence: _, ...noSequence } = accepted
  const { status: __, ...noStatus } = accepted
  const unknownStatus = Buffer.concat([Buffer.from(encode('UpdateResult', noStatus)), Buffer.from([0x28, 99])])
  const bigSequence = Buffer.concat([Buffer.from(encode('UpdateResult', noSequence)), Buffer.from([0x18, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])])
  const cases: Array<[string, Buffer, string]> = [
    ['unknown field in a result', result([0x60, 0x01]), 'KEN_REJECT_UNKNOWN_FIELD'],
    ['unknown field in the response', Buffer.concat([head, Buffer.from([0x20, 0x01])]), 'KEN_REJECT_UNKNOWN_FIELD'],
    ['unknown status', Buffer.concat([head, Buffer.from([0x12, unknownStatus.length]), unknownStatus]), 'KEN_REJECT_UNKNOWN_ENUM'],
    ['status twice', result([0x28, 0x01]), 'KEN_REJECT_DUPLICATE_FIELD'],
    ['batch id twice', Buffer.concat([head, Buffer.from([0x08, 0x01])]), 'KEN_REJECT_DUPLICATE_FIELD'],
    ['sequence above 2^53', Buffer.concat([head, Buffer.from([0x12, bigSequence.length]), bigSequence]), 'KEN_REJECT_MALFORMED'],
    ['batch id above 2^53', Buffer.from([0x08, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]), 'KEN_REJECT_MALFORMED'],
    ['truncated', frameOf({ batchId: 5, results: [accepted] }).subarray(0, 20), 'KEN_REJECT_MALFORMED']
  ]
  for (const [name, frame, code] of cases) {
    t.same(theirs(frame), { code }, `${name}: codec.ts refuses it`)
    t.same(mine(frame), { code }, `${name}: refused alike`)
  }
})

/** A deterministic stream of bytes, so a failure can be reproduced. */
function prng (seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s
  }
}

t.test('mutated responses: refused alike, or read to the same fields and results', async (t) => {
  const next = prng(20_261_123)
  const base = frameOf({ batchId: 77, results: [accepted, rejected, empty, accepted] })
  let read = 0
  for (let i = 0; i < 4000; i++) {
    const bytes = Buffer.from(base)
    const flips = 1 + (next() % 3)
    for (let f = 0; f < flips; f++) bytes[next() % bytes.length] = next() & 0xff
    const cut = next() % 4 === 0 ? bytes.subarray(0, next() % bytes.length) : bytes
    const a = mine(cut)
    const b = theirs(cut)
    if ('ok' in a) read++
    if (!isDeepStrictEqual(a, b)) t.fail(`mutation ${i}: ${'ok' in a ? 'read' : a.code} vs ${'ok' in b ? 'decoded' : b.code}`)
  }
  t.ok(read > 100, `some mutations still read (${read})`)
})
