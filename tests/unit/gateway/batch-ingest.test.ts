// updatesOf: how many updates a PUBLISH hands to the store, as the link's update budget counts them
// (limits.ts), over the wire format and without decoding.
import t from 'tap'
import { encode } from '../../../proto/src/codec.ts'
import { updatesOf } from '../../../gateway/src/batch-ingest.ts'

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
