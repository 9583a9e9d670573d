// The append socket's hand-written AppendResponse frame (append-response.ts) against protobufjs's
// generated encoder and framing.ts, byte for byte: the gateway forwards each UpdateResult's bytes as
// they stand, so they must be protobufjs's own. Responses vary every field: no results, many (a
// frame over 16 KiB), absent (undefined/null), empty, long (results over 127 bytes), unicode
// (kanji, surrogate pairs, lone surrogates, strings either side of protobufjs's 40-unit switch),
// varints at their boundaries up to 2^53 − 1, negative enums.
import t from 'tap'
import { encodeComplete, decode } from '../../../proto/src/codec.ts'
import { encodeFrame, FrameDecoder } from '../../../proto/src/framing.ts'
import type { AppendResponse, UpdateResult } from '../../../proto/src/types.ts'
import { encodeAppendResponseFrame } from '../../../server/src/store/append-response.ts'
import { rng } from './seeded.ts'


const PIECES = ['', 'a', '1', '福岡', '𠮷', '\uD800', '\uDC00x', 'ﾌｸｵｶ', 'é', '\u0000', 'KEN_REJECT_', '\uD83D\uDE00']
const NUMBERS = [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, 5_115_812]

function result (r: () => number): UpdateResult {
  const absent = (): boolean => r() < 0.08
  const text = (): string | undefined => {
    if (absent()) return undefined
    const length = [0, 1, 6, 13, 36, 39, 40, 41, 70, 300][Math.floor(r() * 10)] as number
    let s = ''
    while (s.length < length) s += PIECES[Math.floor(r() * PIECES.length)] as string
    return s.slice(0, length)
  }
  const uint = (): number | undefined => absent() ? undefined : NUMBERS[Math.floor(r() * NUMBERS.length)]
  const enumValue = (): number | null | undefined => { const p = r(); return p < 0.05 ? null : p < 0.1 ? undefined : p < 0.15 ? -1 : Math.floor(r() * 6) }
  const bytes = (): Uint8Array | undefined => absent() ? undefined : Buffer.from(Array.from({ length: [0, 1, 32, 200][Math.floor(r() * 4)] as number }, () => Math.floor(r() * 256)))
  return {
    municipalityCode: text(), stream: enumValue(), sequence: uint(), requestId: text(), status: enumValue(), reasonCode: text(), field: text(),
    logPosition: uint(), entryHash: bytes(), expectedSequence: uint(), payloadSha256: bytes()
  } as unknown as UpdateResult
}

function response (r: () => number): AppendResponse {
  const n = [0, 1, 2, 64, 200][Math.floor(r() * 5)] as number
  const p = r()
  return {
    batchId: p < 0.1 ? undefined : NUMBERS[Math.floor(r() * NUMBERS.length)],
    results: p < 0.15 ? undefined : Array.from({ length: n }, () => result(r)),
    errorCode: r() < 0.1 ? undefined : r() < 0.5 ? '' : 'KEN_ERR_STORE_APPEND_FAILED'
  } as unknown as AppendResponse
}

t.test('the same bytes as protobufjs and framing.ts', async (t) => {
  const differ: string[] = []
  for (let seed = 1; seed <= 400; seed++) {
    const value = response(rng(seed))
    const mine = encodeAppendResponseFrame(value)
    const theirs = encodeFrame(encodeComplete('AppendResponse', value))
    if (!mine.equals(theirs)) differ.push(`seed ${seed}: ${mine.length} bytes, protobufjs ${theirs.length}`)
  }
  t.same(differ, [], '400 random responses encode alike')
})

t.test('a response the store sends decodes back to itself through the frame decoder', async (t) => {
  const hash = Buffer.alloc(32, 7)
  const sent: AppendResponse = {
    batchId: 42,
    results: [
      { municipalityCode: '401005', stream: 1, sequence: 9_007_199_254_740_991, requestId: '依頼-1', status: 1, reasonCode: '', field: '', logPosition: 5_115_812, entryHash: hash, expectedSequence: 0, payloadSha256: hash },
      { municipalityCode: '401307', stream: 2, sequence: 3, requestId: '', status: 2, reasonCode: 'KEN_REJECT_MALFORMED', field: 'birth_date', logPosition: 7, entryHash: hash, expectedSequence: 2, payloadSha256: new Uint8Array(0) }
    ],
    errorCode: ''
  }
  const frames = new FrameDecoder().push(encodeAppendResponseFrame(sent))
  t.equal(frames.length, 1)
  const back = decode('AppendResponse', frames[0] as Buffer)
  t.equal(back.batchId, 42)
  t.same(back.results.map((x) => [x.municipalityCode, x.sequence, x.requestId, x.status, x.reasonCode, x.field, x.logPosition, x.expectedSequence, Buffer.from(x.entryHash).toString('hex')]), sent.results.map((x) => [x.municipalityCode, x.sequence, x.requestId, x.status, x.reasonCode, x.field, x.logPosition, x.expectedSequence, Buffer.from(x.entryHash).toString('hex')]))
})
