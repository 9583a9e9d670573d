// The national simulator reads a forward without decoding it whole and keeps it as the bytes that came
// (tests/sim/national/forward-read.ts, issue 18): what it reads must be what protobufjs decodes, what it
// stores must be the bytes received (not a re-encoding), and it must refuse whatever codec.ts' decode
// refuses, with the same reason code.
import t from 'tap'
import path from 'node:path'
import protobuf from 'protobufjs/minimal.js'
import { decode, encode } from '../../../proto/src/codec.ts'
import type { NationalBatchItem, NationalForward, NationalFuhyoForward } from '../../../proto/src/types.ts'
import { readForward, readForwardBatch } from '../../sim/national/forward-read.ts'
import { ClassicLevel } from 'classic-level'
import { SimStore } from '../../sim/national/sim-store.ts'
import { SAMPLES } from '../proto/samples.ts'
import { tempDir } from '../store/helpers.ts'

const identitySample = SAMPLES.NationalForward[0] as NationalForward
const fuhyoSample = SAMPLES.NationalFuhyoForward[0] as NationalFuhyoForward

/** An identity forward whose previous_position comes first: valid protobuf, not what protobufjs writes. */
function outOfOrder (f: NationalForward): Buffer {
  const { previousPosition, ...rest } = f
  return Buffer.concat([encode('NationalForward', { previousPosition }), encode('NationalForward', rest)])
}

/** NationalForwardBatch around forwards' bytes, as ken-national writes it (items = 1; identity = 1 | fuhyo = 2). */
function batchOf (items: ReadonlyArray<readonly [1 | 2, Uint8Array]>): Buffer {
  const w = protobuf.Writer.create()
  for (const [member, bytes] of items) w.uint32((1 << 3) | 2).fork().uint32((member << 3) | 2).bytes(bytes).ldelim()
  return Buffer.from(w.finish())
}

t.test('a batch read is what protobufjs decodes, each forward kept as the bytes that came', async (t) => {
  const a: NationalForward = { ...identitySample, logPosition: 10, previousPosition: 9, juminhyoCode: '10000000010', kojinBango: '123456789012', address: '福岡県福岡市中央区天神' + '丁目'.repeat(90) }
  const b: NationalFuhyoForward = { ...fuhyoSample, logPosition: 11, previousPosition: 10 }
  const c: NationalForward = { ...identitySample, logPosition: 9_007_199_254_740_991, previousPosition: 11, juminhyoCode: '10000000012', kojinBango: '' }
  const bytes = [outOfOrder(a), Buffer.from(encode('NationalFuhyoForward', b)), Buffer.from(encode('NationalForward', c))]
  t.not(Buffer.compare(bytes[0] as Buffer, Buffer.from(encode('NationalForward', a))), 0, 'the first is not protobufjs\'s own encoding')
  const payload = batchOf([[1, bytes[0] as Buffer], [2, bytes[1] as Buffer], [1, bytes[2] as Buffer]])
  const read = readForwardBatch(payload)
  t.same(read.map((f) => [f?.kind, f?.position, f?.previous, f?.juminhyoCode, f?.kojinBango]), [
    ['identity', 10, 9, '10000000010', '123456789012'], ['fuhyo', 11, 10, '', ''], ['identity', 9_007_199_254_740_991, 11, '10000000012', '']
  ])
  t.same(read.map((f) => f?.bytes), bytes, 'each forward\'s bytes exactly as in the PUBLISH')
  t.same(read.map((f) => f?.kind === 'identity' ? decode('NationalForward', f.bytes) : decode('NationalFuhyoForward', f?.bytes ?? Buffer.alloc(0))),
    decode('NationalForwardBatch', payload).items.map((i) => i.identity ?? i.fuhyo), 'protobufjs reads the same forwards')
  t.same([decode('NationalForward', bytes[0] as Buffer).address, decode('NationalForward', bytes[2] as Buffer).logPosition], [a.address, c.logPosition])
  t.same(readForwardBatch(batchOf([])), [], 'an empty batch')
  const empty = Buffer.from(encode('NationalForwardBatch', { items: [{} as NationalBatchItem] }))
  t.same(readForwardBatch(empty), [undefined], 'an element without a forward (refused as a gap)')
  t.same(readForward('identity', outOfOrder(a)), read[0], 'a forward published alone')
  t.same(readForward('fuhyo', bytes[1] as Buffer), read[1])

  const dir = tempDir(t, 'ken-sim-store-')
  const store = new SimStore(path.join(dir, 'db'))
  await store.open()
  t.teardown(async () => await store.close())
  await store.commit('40', read.filter((f) => f !== undefined))
  t.same(await store.held('40'), bytes.map((x, i) => Buffer.concat([Buffer.of(i === 1 ? 2 : 1), x])), 'held by position as received: not re-encoded')
  t.same(await store.resident('10000000010'), bytes[0], 'the national file keeps the received bytes too')
  t.same(await store.byKojin('123456789012'), a, 'found by its 個人番号')
  t.equal(await store.last('40'), 9_007_199_254_740_991)
})

t.test('what codec.ts\' decode refuses is refused, with the same reason code', async (t) => {
  const good = Buffer.from(encode('NationalForward', { ...identitySample, logPosition: 5, previousPosition: 4 }))
  const fuhyo = Buffer.from(encode('NationalFuhyoForward', fuhyoSample))
  const w = (f: (w: protobuf.Writer) => protobuf.Writer): Buffer => Buffer.from(f(protobuf.Writer.create()).finish())
  const cases: Array<readonly [string, Buffer]> = [
    ['an unknown field in a forward', batchOf([[1, Buffer.concat([good, w((x) => x.uint32((40 << 3) | 0).uint32(1))])]])],
    ['a field twice in a forward', batchOf([[1, Buffer.concat([good, w((x) => x.uint32((1 << 3) | 0).uint32(6))])]])],
    ['a wrong wire type', batchOf([[1, w((x) => x.uint32((5 << 3) | 0).uint32(3))]])],
    ['a position above 2^53', batchOf([[1, w((x) => x.uint32((1 << 3) | 0).uint64(2 ** 53 + 2))]])],
    ['a previous position above 2^53 (附票)', batchOf([[2, w((x) => x.uint32((5 << 3) | 0).uint64(2 ** 53 + 2))]])],
    ['an undefined enum value', batchOf([[1, w((x) => x.uint32((9 << 3) | 0).uint32(77))]])],
    ['both members of the oneof', w((x) => x.uint32((1 << 3) | 2).fork().uint32((1 << 3) | 2).bytes(good).uint32((2 << 3) | 2).bytes(fuhyo).ldelim())],
    ['a truncated forward', batchOf([[1, good]]).subarray(0, good.length)],
    ['an unknown field of the batch', Buffer.concat([batchOf([[1, good]]), w((x) => x.uint32((2 << 3) | 0).uint32(1))])]
  ]
  for (const [why, payload] of cases) {
    let expected: string | undefined
    try {
      decode('NationalForwardBatch', payload)
    } catch (err) {
      expected = (err as { code?: string }).code
    }
    t.match(expected, /^KEN_REJECT_/, `${why}: decode refuses it`)
    t.throws(() => readForwardBatch(payload), { code: expected }, `${why}: refused as ${String(expected)}`)
  }
  t.throws(() => readForward('identity', Buffer.concat([good, w((x) => x.uint32((17 << 3) | 0).uint64(2 ** 53))])), { code: 'KEN_REJECT_DUPLICATE_FIELD' }, 'alone: a field twice')
  t.throws(() => readForward('identity', w((x) => x.uint32((17 << 3) | 0).uint64(2 ** 53))), { code: 'KEN_REJECT_MALFORMED' }, 'alone: above 2^53')
  t.throws(() => readForward('fuhyo', good), { code: /^KEN_REJECT_/ }, 'alone: an identity forward is not a 附票 forward')
})

t.test('the store\'s batch, as one serialized WriteBatch or as chained puts, leaves the same database', async (t) => {
  const forwards = readForwardBatch(batchOf(Array.from({ length: 70 }, (_, i) => i % 5 === 4
    ? [2, encode('NationalFuhyoForward', { ...fuhyoSample, logPosition: i + 1, previousPosition: i })] as const
    : [1, encode('NationalForward', { ...identitySample, logPosition: i + 1, previousPosition: i, juminhyoCode: String(20_000_000_000 + i * 7919), kojinBango: i % 3 === 0 ? '' : String(300_000_000_000 + i) })] as const)))
    .filter((f) => f !== undefined)
  const dir = tempDir(t, 'ken-sim-store-')
  const prototype = ClassicLevel.prototype as { writeBatchContents?: unknown }
  const contents = prototype.writeBatchContents
  t.type(contents, 'function', 'the binding writes a serialized batch (patches/classic-level-3.0.0-batch-contents.patch)')
  const states = []
  for (const chained of [false, true]) {
    const store = new SimStore(path.join(dir, String(chained)))
    await store.open()
    if (chained) delete prototype.writeBatchContents
    try {
      await store.commit('40', forwards.slice(0, 64))
      await store.commit('40', forwards.slice(64))
    } finally {
      prototype.writeBatchContents = contents
    }
    const identities = forwards.filter((f) => f.kind === 'identity')
    states.push({
      held: await store.held('40'),
      residents: await Promise.all(identities.map(async (f) => await store.resident(f.juminhyoCode))),
      kojin: await Promise.all(identities.map(async (f) => (await store.byKojin(f.kojinBango))?.logPosition)),
      last: await store.last('40')
    })
    await store.close()
  }
  const [serialized, chained] = states
  t.same(serialized, chained)
  t.equal(serialized?.held.length, 70)
  t.equal(serialized?.last, 70)
  t.same(serialized?.held.map((h) => h[0]), forwards.map((f) => f.kind === 'identity' ? 1 : 2))
  t.same(serialized?.residents, forwards.filter((f) => f.kind === 'identity').map((f) => f.bytes))
  t.same(serialized?.kojin, forwards.filter((f) => f.kind === 'identity').map((f) => f.kojinBango === '' ? undefined : f.position))
})
