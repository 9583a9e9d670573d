// The ingest steps with injected append and validate: what becomes an update, what a PreRejection,
// what withholds the PUBACK.
import t from 'tap'
import { identityOf } from '../../../gateway/src/identity.ts'
import { ingest, CHECK_STEPS, type IngestDeps } from '../../../gateway/src/ingest.ts'
import { silentLogger } from '../../../gateway/src/logger.ts'
import { GatewayMetrics } from '../../../gateway/src/metrics.ts'
import { decode, encode, encodeComplete } from '../../../proto/src/codec.ts'
import { isKenError } from '../../../proto/src/ken-error.ts'
import { ResultStatus, Stream, type UpdateResult } from '../../../proto/src/types.ts'
import type { EncodedUpdateResult } from '../../../server/src/store/append-client.ts'
import type { OutgoingAppendItem } from '../../../server/src/store/append-request.ts'
import { validateUpdate } from '../../../server/src/domain/validate-update.ts'
import { identityUpdate } from '../domain/fixtures.ts'

const me = identityOf({ kind: 'cs', municipalityCode: '401307', serialHex: '0a' })
const TOPIC = 'ken/v1/cs/401307/update'

function deps (over: Partial<IngestDeps> = {}): IngestDeps & { items: OutgoingAppendItem[] } {
  const items: OutgoingAppendItem[] = []
  return {
    items,
    append: async (item) => {
      items.push(item)
      // As the store reads an item: the update is the bytes sent (append-request.ts).
      const update = item.updateBytes === undefined ? undefined : decode('Update', item.updateBytes)
      return encoded({ municipalityCode: item.municipalityCode, stream: 1, sequence: update?.sequence ?? item.rejection?.sequence ?? 0, requestId: '', status: update === undefined ? ResultStatus.REJECTED : ResultStatus.ACCEPTED, reasonCode: item.rejection?.reasonCode ?? '', field: item.rejection?.field ?? '', logPosition: 1, entryHash: new Uint8Array(32), expectedSequence: 0, payloadSha256: item.payloadSha256 })
    },
    validate: validateUpdate,
    maxUpdateBytes: 4096,
    juminhyoCheckDigit: false,
    today: () => '2024-06-01',
    log: silentLogger,
    metrics: new GatewayMetrics(),
    ...over
  }
}
const valid = Buffer.from(encode('Update', identityUpdate()))

/** A result as the append client hands it on: the store's encoding and the fields read from it. */
function encoded (r: UpdateResult): EncodedUpdateResult {
  const { municipalityCode, stream, sequence, status, reasonCode } = r
  return { bytes: Buffer.from(encodeComplete('UpdateResult', r)), municipalityCode, stream, sequence, status, reasonCode }
}

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
  t.equal(d.items[0]?.payloadSha256.length, 32)
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
