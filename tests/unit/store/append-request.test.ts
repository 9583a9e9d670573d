// The client's AppendRequest encoder (server/src/store/append-request.ts): an update sent as the
// payload it was decoded from must reach the store's strict decoder as the very same request as the
// re-encoded object would; an envelope the verifying codec refuses is refused here too.
import t from 'tap'
import { decode, encode } from '../../../proto/src/codec.ts'
import { encodeAppendRequest, type OutgoingAppendItem } from '../../../server/src/store/append-request.ts'
import { Stream, type Update } from '../../../proto/src/types.ts'
import { updateWithIdentity } from '../proto/samples.ts'

const sha = new Uint8Array(32).fill(7)
const rejection = { reasonCode: 'KEN_REJECT_MALFORMED', field: '', stream: Stream.UNSPECIFIED, sequence: 0, requestId: '', payloadLength: 3 }

t.test('update bytes decode as the update, item for item, mixed with encoded items', async (t) => {
  const payload = encode('Update', updateWithIdentity)
  const update = decode('Update', payload)
  const items: OutgoingAppendItem[] = [
    { municipalityCode: '401307', update, updateBytes: payload, payloadSha256: sha },
    { municipalityCode: '401307', rejection, payloadSha256: sha },
    { municipalityCode: '401307', update, payloadSha256: new Uint8Array(0) }
  ]
  const sent = decode('AppendRequest', encodeAppendRequest(9, items))
  const reference = decode('AppendRequest', encode('AppendRequest', { batchId: 9, items: items.map(({ updateBytes: _, ...item }) => item) }))
  t.same(sent, reference)
  t.equal(sent.items[0]?.update?.sequence, updateWithIdentity.sequence)
})

t.test('the bytes are sent as they are: what the store decodes is what the gateway checked', async (t) => {
  // Fields out of the order protobufjs writes them: re-encoding the decoded update would differ.
  const { municipalityCode: _, ...withoutCode } = updateWithIdentity
  const rest = encode('Update', withoutCode satisfies Partial<Update>)
  const code = encode('Update', { municipalityCode: updateWithIdentity.municipalityCode })
  const payload = Buffer.concat([rest, code])
  const update = decode('Update', payload)
  t.not(Buffer.from(encode('Update', update)).equals(payload), 'the payload is not canonical')
  const bytes = encodeAppendRequest(1, [{ municipalityCode: '401307', update, updateBytes: payload, payloadSha256: sha }])
  t.ok(Buffer.from(bytes).includes(payload), 'the payload is inside the request byte for byte')
  t.same(decode('AppendRequest', bytes).items[0]?.update, update)
})

t.test('an envelope the verifying codec would refuse is refused', async (t) => {
  const payload = encode('Update', updateWithIdentity)
  t.throws(() => encodeAppendRequest(1, [{ municipalityCode: '401307', updateBytes: payload, rejection, payloadSha256: sha }]), { code: 'KEN_ERR_STORE_INVALID_ITEM' })
  t.throws(() => encodeAppendRequest(1, [{ municipalityCode: 401307 as unknown as string, updateBytes: payload, payloadSha256: sha }]), { code: 'KEN_ERR_STORE_INVALID_ITEM' })
  t.throws(() => encodeAppendRequest(1, [{ municipalityCode: '401307', update: { ...updateWithIdentity, sequence: 'x' as unknown as number }, payloadSha256: sha }]), { code: 'KEN_ERR_PROTO_ENCODE' })
  t.throws(() => encodeAppendRequest(-1, []), { code: 'KEN_ERR_STORE_INVALID_ARGUMENT' })
})
