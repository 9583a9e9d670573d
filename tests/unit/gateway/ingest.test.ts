// The ingest steps with injected append and validate: what becomes an update, what a PreRejection,
// what withholds the PUBACK.
import t from 'tap'
import { createHash } from 'node:crypto'
import { identityOf } from '../../../gateway/src/identity.ts'
import { ingest, CHECK_STEPS, type IngestDeps } from '../../../gateway/src/ingest.ts'
import { encode } from '../../../proto/src/codec.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { ResultStatus, Stream } from '../../../proto/src/types.ts'
import type { EncodedUpdateResult } from '../../../server/src/store/append-client.ts'
import { identityUpdate } from '../domain/fixtures.ts'
import { ingestDeps as deps } from './ingest-deps.ts'

const me = identityOf({ kind: 'cs', municipalityCode: '401307', serialHex: '0a' })
const TOPIC = 'ken/v1/cs/401307/update'

const valid = Buffer.from(encode('Update', identityUpdate()))

t.test('the steps, in order', async (t) => {
  t.same(CHECK_STEPS.map((s) => s.name), ['checkTopic', 'checkSize', 'decode', 'validate'])
})

t.test('a valid update goes to the store as an update, under the certificate\'s municipality', async (t) => {
  const d = deps()
  const r = await ingest(me, TOPIC, valid, d)
  t.equal(r.status, ResultStatus.ACCEPTED)
  t.equal(d.items[0]?.municipalityCode, '401307')
  // The payload itself, strictly decoded and validated, goes to the store as the update.
  t.equal(d.items[0]?.updateBytes, valid)
  t.equal(r.sequence, 42)
  t.equal(d.items[0]?.rejection ?? undefined, undefined)
  t.same(Buffer.from(d.items[0]?.payloadSha256 ?? []), createHash('sha256').update(valid).digest(), 'SHA-256 of the payload')
  t.equal((await d.metrics.snapshot()).municipalities['401307']?.accepted, 1)
})

t.test('a refused payload goes to the store as a PreRejection', async (t) => {
  const cases: Array<[string, Buffer, Record<string, unknown>]> = [
    ['oversized', Buffer.alloc(4097), { reasonCode: 'KEN_REJECT_OVERSIZED', field: '', sequence: 0, payloadLength: 4097 }],
    ['undecodable', Buffer.from([0xff]), { reasonCode: 'KEN_REJECT_MALFORMED', sequence: 0 }],
    ['wrong municipality', Buffer.from(encode('Update', identityUpdate({}, { municipalityCode: '401005' }))), { reasonCode: 'KEN_REJECT_MUNICIPALITY_MISMATCH', field: 'municipality_code', sequence: 42, stream: Stream.NORMAL, requestId: 'REQ-0042' }]
  ]
  for (const [name, payload, expected] of cases) {
    const d = deps()
    const r = await ingest(me, TOPIC, payload, d)
    t.equal(r.status, ResultStatus.REJECTED, name)
    t.match(d.items[0]?.rejection, expected, name)
    t.equal(d.items[0]?.update ?? undefined, undefined, `${name}: no update body`)
    t.equal(d.items[0]?.updateBytes, undefined, `${name}: no update bytes`)
  }
})

t.test('an unexpected error in a check fails closed as KEN_REJECT_MALFORMED', async (t) => {
  const d = deps({ validate: () => { throw new TypeError('bug') } })
  await ingest(me, TOPIC, valid, d)
  t.equal(d.items[0]?.rejection?.reasonCode, 'KEN_REJECT_MALFORMED')
})

t.test('nothing is appended, and the error propagates, for a topic the store does not serve', async (t) => {
  const d = deps()
  await t.rejects(ingest(me, 'ken/v1/cs/401307/reconcile', valid, d), { code: 'KEN_ERR_GW_TOPIC_NOT_SERVED' })
  await t.rejects(ingest(me, 'ken/v1/cs/401005/update', valid, d), { code: 'KEN_ERR_GW_PUBLISH_DENIED' })
  t.equal(d.items.length, 0)
})

t.test('a store failure, or an answer for another municipality, withholds the PUBACK', async (t) => {
  await t.rejects(ingest(me, TOPIC, valid, deps({ append: async () => { throw new Error('down') } })))
  const other = deps()
  const wrong: IngestDeps = { ...other, append: async (item) => ({ ...(await other.append(item)), municipalityCode: '401005' } satisfies EncodedUpdateResult) }
  const err = await ingest(me, TOPIC, valid, wrong).catch((e: unknown) => e)
  t.ok(isKenError(err, 'KEN_ERR_GW_STORE_PROTOCOL'))
})
