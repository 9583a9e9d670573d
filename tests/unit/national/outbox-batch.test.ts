// ken-national carries the store's forwards as bytes (outbox-batch.ts, issue 18): what it reads of an
// OutboxMessage must be what protobufjs decodes, and the NationalForwardBatch it writes around the
// bytes must be the very bytes protobufjs writes from the decoded messages.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { decode, encode } from '../../../proto/src/codec.ts'
import type { NationalBatchItem, NationalForward, NationalFuhyoForward, NationalSearchRequest, OutboxItem } from '../../../proto/src/types.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { decodeOutboxForward, encodeNationalForwardBatch, readOutboxMessage, type OutboxBatchRead } from '../../../server/src/national/outbox-batch.ts'
import { SAMPLES } from '../proto/samples.ts'

const identitySample = SAMPLES.NationalForward[0] as NationalForward
const fuhyoSample = SAMPLES.NationalFuhyoForward[0] as NationalFuhyoForward

/** A random chain of forwards of both kinds, some with long strings (multi-byte lengths). */
function chain (n: number, seed: number): OutboxItem[] {
  const items: OutboxItem[] = []
  let previous = seed * 1000
  for (let i = 0; i < n; i++) {
    const position = previous + 1 + (i % 3)
    const long = i % 5 === 0 ? '丁目'.repeat(40 + i) : ''
    const recordedAt = new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString()
    if (i % 4 === 3) {
      const fuhyo: NationalFuhyoForward = { ...fuhyoSample, logPosition: position, previousPosition: previous, entryHash: randomBytes(32) }
      items.push({ recordedAt, fuhyo })
    } else {
      const identity: NationalForward = { ...identitySample, logPosition: position, previousPosition: previous, entryHash: randomBytes(32), address: identitySample.address + long }
      items.push({ recordedAt, identity })
    }
    previous = position
  }
  return items
}

function batchOf (frame: Buffer): OutboxBatchRead {
  const read = readOutboxMessage(frame)
  if (read.batch === undefined) throw new Error('not a batch')
  return read.batch
}

t.test('a read is what protobufjs decodes, and the batch PUBLISH what protobufjs encodes', async (t) => {
  for (const [n, seed] of [[1, 1], [2, 2], [64, 3], [300, 4], [0, 5]] as const) {
    const items = chain(n, seed)
    const frame = Buffer.from(encode('OutboxMessage', { batch: { items, scannedTo: 9_007_199_254_740_000 + n, head: 4_294_967_296 + n, confirmed: seed, errorCode: '' } }))
    const batch = batchOf(frame)
    t.equal(batch.items.length, n)
    t.same([batch.scannedTo, batch.head, batch.confirmed, batch.errorCode], [9_007_199_254_740_000 + n, 4_294_967_296 + n, seed, ''], 'uint64 fields beyond 32 bits')
    t.same(batch.items.map((f) => f.kind), items.map((i) => i.identity !== undefined ? 'identity' : 'fuhyo'))
    t.same(batch.items.map((f) => f.position), items.map((i) => (i.identity ?? i.fuhyo)?.logPosition))
    t.same(batch.items.map((f) => f.recordedAt), items.map((i) => i.recordedAt))
    t.same(batch.items.map((f) => decodeOutboxForward(f)), items.map((i) => i.identity !== undefined ? { identity: i.identity } : { fuhyo: i.fuhyo }), 'each forward\'s bytes decode to the forward')
    const expected = encode('NationalForwardBatch', { items: items.map((i): NationalBatchItem => i.identity !== undefined ? { identity: i.identity } : { fuhyo: i.fuhyo }) })
    t.ok(Buffer.from(expected).equals(encodeNationalForwardBatch(batch.items)), `${n} forwards: NationalForwardBatch byte for byte`)
    for (const [k, f] of batch.items.entries()) {
      const alone = items[k]?.identity !== undefined ? encode('NationalForward', items[k]?.identity as NationalForward) : encode('NationalFuhyoForward', items[k]?.fuhyo as NationalFuhyoForward)
      if (!Buffer.from(alone).equals(f.bytes)) t.fail(`forward ${k}: its bytes are the forward published alone`)
    }
  }
})

t.test('a refused read, a confirm and a query', async (t) => {
  const refused = batchOf(Buffer.from(encode('OutboxMessage', { batch: { items: [], scannedTo: 0, head: 7, confirmed: 3, errorCode: 'KEN_ERR_STORE_OUTBOX_POSITION' } })))
  t.same(refused, { items: [], scannedTo: 0, head: 7, confirmed: 3, errorCode: 'KEN_ERR_STORE_OUTBOX_POSITION' })
  const confirmed = readOutboxMessage(Buffer.from(encode('OutboxMessage', { confirmed: { confirmed: 12, errorCode: '', actPosition: 13 } })))
  t.equal(confirmed.batch, undefined)
  t.equal('other' in confirmed ? confirmed.other.confirmed?.confirmed : undefined, 12)
  const query = readOutboxMessage(Buffer.from(encode('OutboxMessage', { query: { queryId: 'q1', juminhyoCode: '12345678901' } as NationalSearchRequest })))
  t.equal('other' in query ? query.other.query?.queryId : undefined, 'q1')
})

t.test('what does not parse is KEN_ERR_NATIONAL_OUTBOX_PROTOCOL', async (t) => {
  const good = Buffer.from(encode('OutboxMessage', { batch: { items: chain(3, 7), scannedTo: 9, head: 9, confirmed: 0, errorCode: '' } }))
  const refuses = (frame: Buffer, why: string): void => {
    try {
      readOutboxMessage(frame)
      t.fail(why)
    } catch (err) {
      t.ok(isKenError(err, 'KEN_ERR_NATIONAL_OUTBOX_PROTOCOL'), why)
    }
  }
  for (let cut = 1; cut < good.length; cut += 7) refuses(good.subarray(0, cut), `cut at ${cut} of ${good.length}`)
  refuses(Buffer.from(encode('OutboxMessage', { batch: { items: [{ recordedAt: '2026-12-01T00:00:00.000Z' }], scannedTo: 1, head: 1, confirmed: 0, errorCode: '' } })), 'an item without a forward')
  refuses(Buffer.from(encode('OutboxMessage', { batch: { items: [{ recordedAt: 'x', identity: { ...identitySample, logPosition: 0 } }], scannedTo: 1, head: 1, confirmed: 0, errorCode: '' } })), 'a forward without a position')
  // OutboxBatch field 6 (not in outbox.proto), varint 1, after a valid batch body.
  const body = encode('OutboxBatch', { items: [], scannedTo: 1, head: 1, confirmed: 0, errorCode: '' })
  const withUnknown = Buffer.concat([Buffer.from(body), Buffer.of(6 << 3, 1)])
  refuses(Buffer.concat([Buffer.of(8 << 3 | 2, withUnknown.length), withUnknown]), 'an unknown field in the batch')
  refuses(Buffer.alloc(0), 'an empty message')
  t.same(decode('OutboxMessage', good).batch?.items.length, 3, 'the good frame itself decodes')
})
