// updatesOf: how many updates a PUBLISH hands to the store, as the link's update budget counts them
// (limits.ts), over the wire format and without decoding; ingestBatch (below).
import t from 'tap'
import { createHash } from 'node:crypto'
import { decode, encode, encodeComplete } from '../../../proto/src/codec.ts'
import { ResultStatus, type UpdateResult } from '../../../proto/src/types.ts'
import { encodeBatchResult, ingestBatch, updatesOf, type BatchDeps } from '../../../gateway/src/batch-ingest.ts'
import { identityOf } from '../../../gateway/src/identity.ts'
import type { OutgoingAppendItem } from '../../../server/src/store/append-request.ts'
import { identityUpdate } from '../domain/fixtures.ts'
import { ingestDeps } from './ingest-deps.ts'

const batch = (n: number): Buffer => Buffer.from(encode('UpdateBatch', { updates: Array.from({ length: n }, (_, i) => Buffer.from(`update ${i}`)) }))

t.test('a batch counts each of its updates', async (t) => {
  t.equal(updatesOf('updateBatch', batch(1), 64), 1)
  t.equal(updatesOf('updateBatch', batch(64), 64), 64)
})

t.test('a batch refused whole is one rejection record', async (t) => {
  t.equal(updatesOf('updateBatch', batch(65), 64), 1, 'over maxBatchUpdates')
  t.equal(updatesOf('updateBatch', Buffer.alloc(0), 64), 1, 'empty')
  t.equal(updatesOf('updateBatch', Buffer.from([0x0a, 0x7f, 0x01]), 64), 1, 'truncated')
  t.equal(updatesOf('updateBatch', Buffer.from([0x12, 0x01, 0x00]), 64), 1, 'another field')
})

t.test('an update alone is one; receipts and reconciliation chunks commit no update', async (t) => {
  t.equal(updatesOf('update', batch(5), 64), 1)
  t.equal(updatesOf('proof', batch(5), 64), 0)
  t.equal(updatesOf('reconcile', batch(5), 64), 0)
  t.equal(updatesOf(undefined, batch(5), 64), 0)
})

// ingestBatch: each element goes to the store as its own bytes with its own digest, in order, and the
// answer carries the batch's digest; a payload that is not an UpdateBatch is one rejection record.
const me = identityOf({ kind: 'cs', municipalityCode: '401307', serialHex: '0a' })
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest()

function batchDeps (): BatchDeps & { items: OutgoingAppendItem[] } {
  return { ...ingestDeps(), maxBatchUpdates: 64 }
}

t.test('each element of a batch goes to the store as its own bytes, with its own digest, in order', async (t) => {
  const elements = Array.from({ length: 40 }, (_, i) => Buffer.from(encode('Update', identityUpdate({}, { sequence: i + 1 }))))
  elements[7] = Buffer.from([0xff]) // a malformed element is its own rejection record
  const payload = Buffer.from(encode('UpdateBatch', { updates: elements }))
  const d = batchDeps()
  const answer = decode('UpdateBatchResult', await ingestBatch(me, payload, d))
  t.equal(d.items.length, 40)
  d.items.forEach((item, i) => {
    const element = elements[i] as Buffer
    t.same(Buffer.from(item.payloadSha256), sha256(element), `element ${i}: SHA-256 of its bytes`)
    if (i === 7) t.equal(item.rejection?.reasonCode, 'KEN_REJECT_MALFORMED', 'element 7 refused')
    else t.same(Buffer.from(item.updateBytes ?? []), element, `element ${i}: its bytes as sent`)
  })
  t.same(Buffer.from(answer.payloadSha256), sha256(payload), 'the answer carries the batch\'s digest')
  t.same(answer.results.map((r) => r.sequence), elements.map((_, i) => i === 7 ? 0 : i + 1), 'one result per element, in order')
})

t.test('a payload that is not an UpdateBatch, empty or too long is one rejection record', async (t) => {
  const cases: Array<[string, Buffer, string, string]> = [
    ['another field number', Buffer.from([0x12, 0x01, 0x00]), 'KEN_REJECT_MALFORMED', ''],
    ['field 1 as a varint', Buffer.from([0x08, 0x01]), 'KEN_REJECT_MALFORMED', ''],
    ['a length past the end', Buffer.from([0x0a, 0x7f, 0x01]), 'KEN_REJECT_MALFORMED', ''],
    ['a truncated tag', Buffer.from([0x0a, 0x01, 0x00, 0x8a]), 'KEN_REJECT_MALFORMED', ''],
    ['empty', Buffer.alloc(0), 'KEN_REJECT_MALFORMED', 'updates'],
    ['65 updates', batch(65), 'KEN_REJECT_OVERSIZED', 'updates']
  ]
  for (const [name, payload, code, field] of cases) {
    const d = batchDeps()
    const answer = decode('UpdateBatchResult', await ingestBatch(me, payload, d))
    t.equal(d.items.length, 1, `${name}: one item`)
    t.equal(d.items[0]?.rejection?.reasonCode, code, `${name}: ${code}`)
    t.equal(d.items[0]?.rejection?.field, field, `${name}: field`)
    t.same(Buffer.from(d.items[0]?.payloadSha256 ?? []), sha256(payload), `${name}: the payload's digest`)
    t.same(Buffer.from(answer.payloadSha256), sha256(payload), `${name}: the answer carries it`)
    t.equal(answer.results.length, 1, `${name}: one result`)
  }
})

t.test('encodeBatchResult writes the bytes protobufjs would, with lengths of one, two and three bytes', async (t) => {
  const result = (reasonCode: string): UpdateResult => ({ municipalityCode: '401307', stream: 1, sequence: 300, requestId: 'r', status: ResultStatus.REJECTED, reasonCode, field: '', logPosition: 1, entryHash: new Uint8Array(32), expectedSequence: 0, payloadSha256: new Uint8Array(32).fill(7) })
  const results = [result(''), result('x'.repeat(200)), result('y'.repeat(20000))]
  const digest = createHash('sha256').update('batch').digest()
  const bytes = encodeBatchResult(results.map((r) => ({ bytes: Buffer.from(encodeComplete('UpdateResult', r)), municipalityCode: r.municipalityCode, stream: r.stream, sequence: r.sequence, status: r.status, reasonCode: r.reasonCode })), digest)
  t.same(bytes, Buffer.from(encode('UpdateBatchResult', { results, payloadSha256: digest })))
})
